import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads archive lines from a file, standard input or bytes in memory, through an `ArchiveDecoder`.
package final class ArchiveReader {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var memory: [UInt8]?
    private var memoryOffset = 0
    private let path: String
    private let decoder: ArchiveDecoder
    private var input = [UInt8](repeating: 0, count: 64 << 10)

    /// Lines handed out so far (1-based number of the last one).
    package var lineNumber: Int { decoder.lineNumber }

    /// Opens `path` (`-` is standard input).
    /// - Parameters:
    ///   - maxDecompressedBytes: the most bytes the archive may inflate to.
    ///   - maxLineBytes: the longest line read; a longer one is skipped and reported (`ArchiveError.lineTooLong`),
    ///     so one giant line cannot make the reader hold gigabytes.
    package init(path: String, maxDecompressedBytes: Int, maxLineBytes: Int = Archive.defaultMaxLineBytes) throws(ArchiveError) {
        self.path = path
        decoder = ArchiveDecoder(maxDecompressedBytes: maxDecompressedBytes, maxLineBytes: maxLineBytes)
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            ownsDescriptor = true
            guard descriptor >= 0 else { throw .file(path, String(cString: strerror(errno))) }
        }
    }

    /// Reads an archive already in memory.
    package init(bytes: [UInt8], maxDecompressedBytes: Int, maxLineBytes: Int = Archive.defaultMaxLineBytes) {
        path = "upload"
        decoder = ArchiveDecoder(maxDecompressedBytes: maxDecompressedBytes, maxLineBytes: maxLineBytes)
        descriptor = -1
        ownsDescriptor = false
        memory = bytes
    }

    deinit {
        if ownsDescriptor { _ = close(descriptor) }
    }

    /// The next line without its newline, or `nil` at the end (see `ArchiveDecoder.nextLine`).
    package func nextLine() throws(ArchiveError) -> [UInt8]? {
        while true {
            if let line = try decoder.nextLine() { return line }
            if decoder.isDone { return nil }
            try fill()
        }
    }

    private func fill() throws(ArchiveError) {
        let count: Int
        if let memory {
            count = min(input.count, memory.count - memoryOffset)
            input.replaceSubrange(0..<count, with: memory[memoryOffset..<memoryOffset + count])
            memoryOffset += count
        } else {
            count = input.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        }
        if count < 0 {
            if errno == EINTR { return }
            throw .file(path, String(cString: strerror(errno)))
        }
        if count == 0 {
            try decoder.finish()
            return
        }
        try decoder.append(Array(input[..<count]))
    }
}
