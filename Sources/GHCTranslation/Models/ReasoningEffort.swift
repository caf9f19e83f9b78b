/// Reasoning efforts, weakest first, and how a wanted effort is fitted to the ones a model lists.
package enum ReasoningEffort {
    /// Every effort name Copilot's models use, weakest first.
    static let order = ["none", "minimal", "low", "medium", "high", "xhigh", "max"]

    /// The effort to send: `wanted` when the model lists it, else the strongest listed effort below it, else the
    /// weakest listed above it; `nil` when the model lists none (it takes no effort) or nothing was wanted.
    package static func fit(_ wanted: String?, to listed: [String]) -> String? {
        guard let wanted, !listed.isEmpty else { return nil }
        if listed.contains(wanted) { return wanted }
        guard let rank = order.firstIndex(of: wanted) else { return nil }
        let ranked = listed.compactMap { effort in order.firstIndex(of: effort).map { (effort, $0) } }
        if let below = ranked.filter({ $0.1 < rank }).max(by: { $0.1 < $1.1 }) { return below.0 }
        return ranked.min(by: { $0.1 < $1.1 })?.0
    }
}
