/// The flags and positionals of one command line, checked against the command's spec.
package struct ParsedArguments: Sendable {
    /// The command words, such as `["config", "set"]`.
    package let path: [String]
    /// Values by long flag name; a switch has one empty value per use.
    let values: [String: [String]]
    /// Positionals in order.
    package let positionals: [String]

    /// Creates parsed arguments (the parser and tests do this).
    package init(path: [String], values: [String: [String]] = [:], positionals: [String] = []) {
        self.path = path
        self.values = values
        self.positionals = positionals
    }

    /// Whether a switch (or any flag) was given.
    package func has(_ long: String) -> Bool { values[long] != nil }

    /// The last value of a flag.
    package func value(_ long: String) -> String? { values[long]?.last }

    /// Every value of a repeatable flag.
    package func allValues(_ long: String) -> [String] { values[long] ?? [] }

    /// An integer flag (the parser checked it); `nil` when absent.
    package func integer(_ long: String) -> Int? { value(long).flatMap { Int($0) } }

    /// The positionals from `index` on (a repeating last positional's words).
    package func positionals(from index: Int) -> [String] {
        index < positionals.count ? Array(positionals[index...]) : []
    }

    /// The positional at `index`, if given.
    package func positional(_ index: Int) -> String? {
        index < positionals.count ? positionals[index] : nil
    }
}

/// How a command ended.
package struct ExitCode: Sendable, Equatable, Hashable {
    /// The process exit status.
    package let rawValue: Int32

    /// Creates an exit code.
    package init(_ rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// It worked.
    package static let success = ExitCode(0)
    /// It failed.
    package static let failure = ExitCode(1)
    /// The command line was wrong (sysexits `EX_USAGE`).
    package static let usage = ExitCode(64)
    /// Interrupted by Ctrl-C.
    package static let interrupted = ExitCode(130)
}
