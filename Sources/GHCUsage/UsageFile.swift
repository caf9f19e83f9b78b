import GHCCore

#if canImport(Glibc)
import Glibc
#endif

/// `token_usage.jl`: where this machine's lines go, and appending them whole.
package enum UsageFile {
    /// The file's name, in the machine's OneDrive folder or the config folder.
    package static let name = "token_usage.jl"

    /// Appends one line with a single `write`, so a crash leaves whole lines only; a write cut short is undone.
    package static func append(_ line: [UInt8], to path: String) throws(FileStoreError) {
        try FileStore.ensureDirectory(FileStore.parentDirectory(of: path), mode: 0o755)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let end = lseek(descriptor, 0, SEEK_END)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else {
            let reason = written < 0 ? String(cString: strerror(errno)) : "only \(written) of \(line.count) bytes were written"
            if end >= 0 { _ = ftruncate(descriptor, end) }
            throw .cannotWrite(path, reason)
        }
    }
}
