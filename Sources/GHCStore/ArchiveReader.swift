import CZlib

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads archive lines from a file or standard input, gzip or plain (told by the gzip magic bytes), inflating
/// as it goes and refusing to inflate past a limit, so a decompression bomb is stopped early.
public final class ArchiveReader {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var memory: [UInt8]?
    private var memoryOffset = 0
    private let path: String
    private var stream = z_stream()
    private var gzip: Bool?
    private var finished = false
    private var memberEnded = false
    private var pending: [UInt8] = []
    /// Where the current line starts in `pending`, and how far it was searched for its end.
    private var lineStart = 0
    private var scanned = 0
    /// Whether the current line is over `maxLineBytes` and is being skipped.
    private var discarding = false
    private var inflatedTotal = 0
    private let limit: Int
    private let maxLineBytes: Int
    private var input = [UInt8](repeating: 0, count: 64 << 10)
    private var output = [UInt8](repeating: 0, count: 256 << 10)
    /// Lines handed out so far (1-based number of the last one).
    public private(set) var lineNumber = 0

    /// Opens `path` (`-` is standard input).
    /// - Parameters:
    ///   - maxDecompressedBytes: the most bytes the archive may inflate to.
    ///   - maxLineBytes: the longest line read; a longer one is skipped and reported (`ArchiveError.lineTooLong`),
    ///     so one giant line cannot make the reader hold gigabytes.
    public init(path: String, maxDecompressedBytes: Int, maxLineBytes: Int = Archive.defaultMaxLineBytes) throws(ArchiveError) {
        self.path = path
        limit = maxDecompressedBytes
        self.maxLineBytes = maxLineBytes
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            ownsDescriptor = true
            guard descriptor >= 0 else { throw .file(path, String(cString: strerror(errno))) }
        }
    }

    /// Reads an archive already in memory (an upload).
    public init(bytes: [UInt8], maxDecompressedBytes: Int, maxLineBytes: Int = Archive.defaultMaxLineBytes) {
        path = "upload"
        limit = maxDecompressedBytes
        self.maxLineBytes = maxLineBytes
        descriptor = -1
        ownsDescriptor = false
        memory = bytes
    }

    deinit {
        if gzip == true { inflateEnd(&stream) }
        if ownsDescriptor { _ = close(descriptor) }
    }

    /// The next line without its newline, or `nil` at the end. A line over `maxLineBytes` is skipped whole and
    /// reported by throwing `ArchiveError.lineTooLong`; reading can go on after it. Each byte is searched once.
    public func nextLine() throws(ArchiveError) -> [UInt8]? {
        while true {
            if let newline = pending[scanned...].firstIndex(of: 0x0A) {
                lineNumber += 1
                let line = discarding ? [] : Array(pending[lineStart..<newline])
                lineStart = newline + 1
                scanned = lineStart
                compact()
                if discarding {
                    discarding = false
                    throw .lineTooLong(line: lineNumber, limit: maxLineBytes)
                }
                return line
            }
            scanned = pending.count
            if pending.count - lineStart > maxLineBytes {
                discarding = true
                pending.removeAll(keepingCapacity: true)
                lineStart = 0
                scanned = 0
            }
            if finished {
                guard pending.count > lineStart || discarding else { return nil }
                lineNumber += 1
                let line = Array(pending[lineStart...])
                pending.removeAll()
                (lineStart, scanned) = (0, 0)
                if discarding {
                    discarding = false
                    throw .lineTooLong(line: lineNumber, limit: maxLineBytes)
                }
                return line
            }
            try fill()
        }
    }

    /// Drops the lines already handed out once they take up room, so the buffer holds about one line.
    private func compact() {
        guard lineStart > 0, lineStart == pending.count || lineStart >= 1 << 20 else { return }
        pending.removeSubrange(..<lineStart)
        scanned -= lineStart
        lineStart = 0
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
            if gzip == true, !memberEnded { throw .corrupt("the gzip stream ends early (truncated file)") }
            finished = true
            return
        }
        let chunk = Array(input[..<count])
        if gzip == nil {
            gzip = chunk.count >= 2 && chunk[0] == 0x1F && chunk[1] == 0x8B
            if gzip == true, inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) != Z_OK {
                throw .corrupt("cannot start gzip")
            }
        }
        guard gzip == true else {
            try account(chunk.count)
            pending += chunk
            return
        }
        try inflate(chunk)
    }

    private func inflate(_ chunk: [UInt8]) throws(ArchiveError) {
        if memberEnded {
            // Concatenated gzip members (as `cat a.gz b.gz` makes): start the next one.
            inflateReset(&stream)
            memberEnded = false
        }
        var data = chunk
        var status: Int32 = Z_OK
        var produced: [UInt8] = []
        data.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while stream.avail_in > 0 || status == Z_OK {
                status = output.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.next_out = outputBuffer.baseAddress
                    stream.avail_out = uInt(outputBuffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                produced.append(contentsOf: output[..<(output.count - Int(stream.avail_out))])
                if status == Z_STREAM_END, stream.avail_in > 0 {
                    // Concatenated gzip members (as `cat a.gz b.gz` makes): start the next one.
                    inflateReset(&stream)
                    status = Z_OK
                    continue
                }
                if status != Z_OK || stream.avail_out != 0 { break }
                if produced.count > limit { break }
            }
        }
        try account(produced.count)
        if status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR { throw .corrupt("zlib error \(status)") }
        pending += produced
        if status == Z_STREAM_END { memberEnded = true }
    }

    private func account(_ bytes: Int) throws(ArchiveError) {
        inflatedTotal += bytes
        if inflatedTotal > limit { throw .tooLarge(limit) }
    }
}
