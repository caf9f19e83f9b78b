import Foundation
import GHCCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The agent's `fs/*` requests, confined to the session's working directory and the directories added to it.
///
/// A path is checked after resolving every symlink along it, so a link inside the workspace that points out of it
/// is refused like the outside path itself.
package struct WorkspaceAccess: Sendable {
    /// The largest file served or written.
    package static let fileLimit = 50 << 20

    /// The directories as given (working directory first).
    package let directories: [String]
    private let roots: [String]

    /// A workspace of `directory` plus `additional` directories.
    package init(directory: String, additional: [String] = []) {
        directories = [directory] + additional
        roots = directories.map { Self.realPath(Self.normalized($0)) ?? Self.normalized($0) }
    }

    /// `fs/read_text_file`: the file's text, from 1-based `line`, at most `limit` lines.
    package func read(path: String, line: Int? = nil, limit: Int? = nil) throws(RPCError) -> String {
        let real = try confined(path)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: real) else {
            throw .resourceNotFound("\(path) does not exist", uri: "file://" + path)
        }
        if (attributes[.type] as? FileAttributeType) == .typeDirectory { throw .invalidParams("\(path) is a directory") }
        if let size = attributes[.size] as? Int, size > Self.fileLimit { throw .invalidParams("\(path) is larger than 50 MiB") }
        guard let data = FileManager.default.contents(atPath: real) else { throw .internalError("cannot read \(path)") }
        let text = String(decoding: data, as: UTF8.self)
        guard line != nil || limit != nil else { return text }
        if let line, line < 1 { throw .invalidParams("line must be 1 or more") }
        if let limit, limit < 0 { throw .invalidParams("limit must not be negative") }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = min((line ?? 1) - 1, lines.count)
        let end = limit.map { min(start + $0, lines.count) } ?? lines.count
        return lines[start..<end].joined(separator: "\n")
    }

    /// `fs/write_text_file`: writes `content` whole (creating the file and its folders), atomically.
    package func write(path: String, content: String) throws(RPCError) {
        let real = try confined(path)
        if content.utf8.count > Self.fileLimit { throw .invalidParams("content is larger than 50 MiB") }
        let folder = (real as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let mode = (try? FileManager.default.attributesOfItem(atPath: real))?[.posixPermissions] as? Int
            try FileStore.writeAtomically(content, to: real, mode: mode ?? 0o644)
        } catch {
            throw .internalError("cannot write \(path): \(error)")
        }
    }

    /// The real path of `path` when it lies inside a workspace directory; the spec's error when it does not.
    package func confined(_ path: String) throws(RPCError) -> String {
        guard path.hasPrefix("/") else { throw .invalidParams("path must be absolute: \(path)") }
        let real = Self.resolvedAllowingMissing(Self.normalized(path))
        guard roots.contains(where: { real == $0 || real.hasPrefix($0 == "/" ? "/" : $0 + "/") }) else {
            throw RPCError(
                code: -32002,
                message: "Resource not found: \(path) is outside the session's directories (\(directories.joined(separator: ", ")))",
                data: ["uri": .string("file://" + path)]
            )
        }
        return real
    }

    /// `path` with `.` and `..` segments and repeated slashes removed (lexically).
    package static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The real path of the longest existing prefix of `path`, with the missing rest appended.
    private static func resolvedAllowingMissing(_ path: String) -> String {
        if let real = realPath(path) { return real }
        let parent = (path as NSString).deletingLastPathComponent
        guard parent != path else { return path }
        let name = (path as NSString).lastPathComponent
        // A dangling symlink resolves to where it points, which must be checked too.
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
            let absolute = target.hasPrefix("/") ? target : resolvedAllowingMissing(parent) + "/" + target
            return resolvedAllowingMissing(normalized(absolute))
        }
        let base = resolvedAllowingMissing(parent)
        return (base == "/" ? "" : base) + "/" + name
    }

    /// `realpath(3)`, or nil when the path does not exist.
    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
