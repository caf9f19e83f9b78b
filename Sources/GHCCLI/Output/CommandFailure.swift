/// A command that cannot do what it was asked, for a reason the user can fix: one line on standard error, exit 1.
struct CommandFailure: Error, CustomStringConvertible {
    /// What went wrong and what to do.
    let description: String

    /// Creates a failure with its line.
    init(_ description: String) {
        self.description = description
    }
}
