import GHCCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing the synced files safely: at most 10 MiB, links followed only into the OneDrive folder and the
/// home folder, contents checked (JSON, YAML, UTF-8) before anything is written, writes atomic with the mode kept.
struct SyncFileAccess: Sendable {
    /// The largest file synced.
    static let maxBytes = 10 << 20
    /// The folders links may point into (resolved).
    let roots: [String]

    /// Allows links into these folders.
    init(roots: [String]) {
        self.roots = roots.map { Self.resolved($0) ?? $0 }
    }

    /// A file's bytes, checked for its key; `nil` when it does not exist.
    func read(_ path: String, as key: SyncKey) throws(SyncError) -> [UInt8]? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw .unreadable(path, String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard let target = Self.resolved(path) else { return nil }
            guard roots.contains(where: { target == $0 || target.hasPrefix($0 + "/") }) else { throw .linkOutside(path, target) }
        }
        guard stat(path, &info) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        guard Int(info.st_size) <= Self.maxBytes else { throw .tooLarge(path, Int(info.st_size)) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = Glibc.read(descriptor, &chunk, chunk.count)
            if count < 0 { throw .unreadable(path, String(cString: strerror(errno))) }
            if count == 0 { break }
            bytes += chunk[..<count]
            if bytes.count > Self.maxBytes { throw .tooLarge(path, bytes.count) }
        }
        try Self.check(bytes, as: key, path: path)
        return bytes
    }

    /// Writes a file atomically, keeping the mode of the file it replaces (0600 for a new one). A link (a settings file
    /// kept in a dotfiles folder) is written through, so it stays a link; one that leaves the allowed folders is refused.
    func write(_ bytes: [UInt8], to path: String) throws(SyncError) {
        var target = path
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK, let resolved = Self.resolved(path) {
            guard roots.contains(where: { resolved == $0 || resolved.hasPrefix($0 + "/") }) else { throw .linkOutside(path, resolved) }
            target = resolved
        }
        do {
            try FileStore.writeAtomically(bytes: bytes, to: target, mode: FileStore.permissions(of: target) ?? 0o600)
        } catch {
            throw .cannotWrite(target, error.description)
        }
    }

    /// When a file was last changed, in seconds since 1970.
    static func modified(_ path: String) -> Double? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }

    /// Refuses contents that are not what the file should hold: cut-short or invalid JSON and YAML, bytes that are not
    /// UTF-8 text.
    static func check(_ bytes: [UInt8], as key: SyncKey, path: String) throws(SyncError) {
        guard String(validating: bytes, as: UTF8.self) != nil, !bytes.contains(0) else { throw .invalid(path, "it is not UTF-8 text") }
        switch key {
        case .claude:
            do {
                guard case .object = try JSONValue.parse(bytes) else { throw SyncError.invalid(path, "it is not a JSON object") }
            } catch let error as SyncError {
                throw error
            } catch {
                throw .invalid(path, "invalid JSON: \(error)")
            }
        case .ghcAPI:
            do {
                _ = try GHCConfig.load(ConfigDocument(path: path, text: String(decoding: bytes, as: UTF8.self)))
            } catch {
                throw .invalid(path, error.description)
            }
        case .codex:
            break
        }
    }

    /// A path with its links resolved, when it exists.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
