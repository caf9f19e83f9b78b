/// Large client bodies stored whole a little earlier, which later bodies are stored as deltas of. Claude Code sends
/// the whole conversation again on every turn, so a turn's body is mostly the one before it: a delta of a few
/// kilobytes instead of compressing hundreds (compression was two fifths of the history writer's time under such
/// requests, and most of the file). A body is only ever a delta of one stored whole, so reading it takes one more row.
struct BodyBases: Sendable {
    /// A body stored whole, with the index its deltas are encoded with.
    struct Base: Sendable {
        /// The id of the record it belongs to.
        let id: String
        /// When that record arrived.
        let timestamp: Double
        /// The body.
        let body: [UInt8]
        /// Its blocks, by hash.
        let index: BodyDelta.Index

        /// The base of a body stored whole.
        init(id: String, timestamp: Double, body: [UInt8]) {
            self.id = id
            self.timestamp = timestamp
            self.body = body
            index = BodyDelta.Index(body)
        }
    }

    /// How a client body goes into its column.
    struct Column: Sendable {
        /// The column's value.
        let bytes: [UInt8]
        /// The id of the record whose body this one is a delta of.
        let base: String?
        /// The body, when it is stored whole and large enough to be a base for later ones (indexed only once its row
        /// is known to be in the table).
        let newBase: [UInt8]?
    }

    /// Bodies smaller than this are always stored whole: a delta would save little.
    static let minimumSize = 16 << 10
    /// Most bases kept (the newest, by when they were last used).
    static let capacity = 8
    /// A base is used for bodies that arrive at most this many seconds after it: the history's pruning keeps a record
    /// while a later one is stored against it, so a base is never kept much past the retention.
    static let maximumAge = 3600.0

    /// The bases, least recently used first.
    private(set) var bases: [Base] = []

    /// The column of a client body: a delta of the base it shares the longest start with when that is under a tenth
    /// of the body, else the body whole.
    func column(for body: StoredBody, at timestamp: Double) -> Column {
        guard body.originalSize >= Self.minimumSize, !body.truncated, let contents = body.contents else {
            return Column(bytes: body.columnBytes, base: nil, newBase: nil)
        }
        if let base = closest(to: contents, at: timestamp),
            let delta = StoredBody.columnBytes(contents, deltaOf: base.body, index: base.index)
        {
            return Column(bytes: delta, base: base.id, newBase: nil)
        }
        return Column(bytes: body.columnBytes, base: nil, newBase: contents)
    }

    /// The base that shares the longest start with `body` (at least a kilobyte), among those young enough.
    private func closest(to body: [UInt8], at timestamp: Double) -> Base? {
        var best: (base: Base, shared: Int)?
        for base in bases where timestamp >= base.timestamp && timestamp - base.timestamp <= Self.maximumAge {
            let shared = Self.sharedStart(base.body, body)
            if shared >= 1024, shared > best?.shared ?? 0 { best = (base, shared) }
        }
        return best?.base
    }

    /// The length of the start two byte strings share.
    static func sharedStart(_ first: [UInt8], _ second: [UInt8]) -> Int {
        first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in BodyDelta.sharedRun(first, 0, second, 0) }
        }
    }

    /// Notes the bases the stored rows used (the most recently used are kept) and adds the new ones.
    mutating func update(used: some Sequence<String>, added: some Sequence<Base>) {
        for id in used {
            guard let position = bases.firstIndex(where: { $0.id == id }) else { continue }
            bases.append(bases.remove(at: position))
        }
        bases.append(contentsOf: added)
        if bases.count > Self.capacity { bases.removeFirst(bases.count - Self.capacity) }
    }

    /// Forgets every base (their records may have been deleted).
    mutating func removeAll() {
        bases.removeAll()
    }
}
