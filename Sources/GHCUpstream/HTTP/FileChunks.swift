import GHCCore
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file (or standard input) as a sequence of 64 KiB buffers, read as they are asked for: an upload body that
/// never sits whole in memory.
struct FileChunks: AsyncSequence, Sendable {
    /// The open file, closed when the last iterator is done with it.
    private let file: OpenFile
    /// The file's size, when it is a regular file.
    let size: Int?

    /// Opens `path` (`-` is standard input).
    init(path: String) throws(FileStoreError) {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path) }
        file = OpenFile(descriptor: descriptor, owned: path != "-")
        var info = stat()
        size = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
    }

    /// An iterator over the file's chunks.
    func makeAsyncIterator() -> Iterator { Iterator(file: file) }

    /// Reads the next chunk on each call.
    struct Iterator: AsyncIteratorProtocol {
        let file: OpenFile

        /// The next chunk, or `nil` at the end of the file.
        mutating func next() async throws -> ByteBuffer? {
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(file.descriptor, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count < 0 { throw FileStoreError.unreadable("descriptor \(file.descriptor): \(Descriptor.reason(errno))") }
                return count == 0 ? nil : ByteBuffer(bytes: chunk[..<count])
            }
        }
    }
}

/// A file descriptor closed when the last reference goes away.
final class OpenFile: Sendable {
    /// The descriptor.
    let descriptor: Int32
    private let owned: Bool

    init(descriptor: Int32, owned: Bool) {
        self.descriptor = descriptor
        self.owned = owned
    }

    deinit {
        if owned { close(descriptor) }
    }
}
