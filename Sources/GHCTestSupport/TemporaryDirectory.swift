#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A fresh directory under the system temp folder, removed by `remove()`.
package struct TemporaryDirectory: Sendable {
    /// Its absolute path.
    package let path: String

    /// Creates a new, empty directory.
    package init(prefix: String = "ghc-api-test") throws {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        path = "\(base)/\(prefix)-\(UUID().uuidString.lowercased())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Deletes the directory and everything in it.
    package func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the directory.
    package func file(_ name: String) -> String { path + "/" + name }

    /// Writes a text file inside the directory and returns its path.
    @discardableResult
    package func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try FileManager.default.createDirectory(
            atPath: target.split(separator: "/").dropLast().joined(separator: "/").prefixedWithSlash,
            withIntermediateDirectories: true
        )
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Reads a text file inside the directory.
    package func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Runs `body` with a new directory and removes it afterwards.
    package static func with<T>(_ body: (TemporaryDirectory) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try await body(directory)
    }
}

extension String {
    fileprivate var prefixedWithSlash: String { hasPrefix("/") ? self : "/" + self }
}
