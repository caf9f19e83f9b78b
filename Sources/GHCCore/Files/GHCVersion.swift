/// The program's version.
package enum GHCVersion {
    /// The version string `--version` prints.
    package static let current = "2.0.0"
}
