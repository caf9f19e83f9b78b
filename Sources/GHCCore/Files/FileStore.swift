#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File operations with the guarantees ghc-api promises: replacing writes go through a temp file and a
/// rename, secrets are created with mode 0600, and nothing a user wrote is replaced without a backup.
package enum FileStore {
    /// Reads a whole file as UTF-8, or `nil` when it does not exist.
    package static func readText(_ path: String) throws(FileStoreError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path) }
        return String(decoding: data, as: UTF8.self)
    }

    /// Takes group and world access away from the config directory (to 0700) and from secret files (to 0600),
    /// as ghc-api 1.0.31 left them readable (0755/0644). Returns a note for each path it changed.
    package static func tightenPermissions(directory: String, secrets: [String]) -> [String] {
        var notes: [String] = []
        for (path, mode) in [(directory, mode_t(0o700))] + secrets.map({ ($0, mode_t(0o600)) }) {
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFLNK, info.st_mode & 0o077 != 0 else { continue }
            let old = String(info.st_mode & 0o777, radix: 8)
            if chmod(path, mode) == 0 { notes.append("\(path) was readable by others (mode \(old)); it is now \(String(mode, radix: 8))") }
        }
        return notes
    }

    /// Whether two paths name the same existing file (through links and `..` alike).
    package static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        guard first != "-", second != "-", stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// Whether something exists at `path`.
    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Creates a directory (and its parents) when missing, with the given permissions on the last component.
    package static func ensureDirectory(_ path: String, mode: Int = 0o700) throws(FileStoreError) {
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) != S_IFDIR { throw .notADirectory(path) }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreate(path, "\(error)")
        }
        chmod(path, mode_t(mode))
    }

    /// Replaces `path` with `contents` atomically: a temp file beside it is written, synced and renamed.
    /// - Parameters:
    ///   - mode: permissions of the new file; 0o600 for secrets.
    package static func writeAtomically(_ contents: String, to path: String, mode: Int = 0o644) throws(FileStoreError) {
        try writeAtomically(bytes: Array(contents.utf8), to: path, mode: mode)
    }

    /// Writes bytes to a temp file beside `path`, syncs it, and renames it over `path`: a reader sees the old file or
    /// the new one, never half of one.
    package static func writeAtomically(bytes contents: [UInt8], to path: String, mode: Int = 0o644) throws(FileStoreError) {
        let directory = parentDirectory(of: path)
        try ensureDirectory(directory)
        let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw .cannotCreate(temporary, String(cString: strerror(errno))) }
        // The old file is replaced only once the new one is whole on disk: every write, fsync and close checked.
        var failure = Descriptor.writeAll(descriptor, contents)
        if failure == nil, fchmod(descriptor, mode_t(mode)) != 0 || fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == nil { failure = errno }
        if let failure {
            unlink(temporary)
            throw .cannotWrite(path, Descriptor.reason(failure))
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .cannotWrite(path, reason)
        }
    }

    /// Copies `path` to `path.bak-YYYYMMDD-HHMMSS` (UTC) and returns the backup's path, or `nil` when
    /// there was nothing to back up.
    @discardableResult
    package static func backup(_ path: String, now: Date = Date()) throws(FileStoreError) -> String? {
        guard let text = try readText(path) else { return nil }
        let stamp = Timestamp.compact(now)
        var target = "\(path).bak-\(stamp)"
        var counter = 1
        while FileManager.default.fileExists(atPath: target) {
            counter += 1
            target = "\(path).bak-\(stamp)-\(counter)"
        }
        try writeAtomically(text, to: target, mode: permissions(of: path) ?? 0o600)
        return target
    }

    /// Removes a file; returns whether one was there.
    package static func remove(_ path: String) throws(FileStoreError) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        guard unlink(path) == 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
        return true
    }

    /// The directory part of a path.
    package static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The permission bits of a file, or `nil` when it does not exist.
    package static func permissions(of path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode) & 0o777
    }
}

/// Errors of file operations, each naming the file.
package enum FileStoreError: Error, CustomStringConvertible, Equatable {
    /// The file exists but could not be read.
    case unreadable(String)
    /// A path that must be a directory is a file.
    case notADirectory(String)
    /// A file or directory could not be created.
    case cannotCreate(String, String)
    /// A write or rename failed.
    case cannotWrite(String, String)

    /// One line for the user.
    package var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .notADirectory(let path): "\(path) is not a directory"
        case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}
