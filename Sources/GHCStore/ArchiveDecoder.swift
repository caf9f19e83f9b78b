import CZlib

/// Turns the bytes of an archive, pushed in as they arrive, into lines: gzip or plain (told by the gzip magic
/// bytes), inflated as it goes and refused past a size limit (a decompression bomb stops early), with each line
/// bounded and each byte searched for a line end once. Files, standard input and streamed uploads share it.
package final class ArchiveDecoder {
    private var stream = z_stream()
    private var gzip: Bool?
    private var memberEnded = false
    private var ended = false
    private var pending: [UInt8] = []
    /// Where the current line starts in `pending`, and how far it was searched for its end.
    private var lineStart = 0
    private var scanned = 0
    /// Whether the current line is over `maxLineBytes` and is being skipped.
    private var discarding = false
    private var inflatedTotal = 0
    private let limit: Int
    private let maxLineBytes: Int
    private var output = [UInt8](repeating: 0, count: 256 << 10)
    /// Lines handed out so far (1-based number of the last one).
    package private(set) var lineNumber = 0

    /// Creates a decoder.
    /// - Parameters:
    ///   - maxDecompressedBytes: the most bytes the archive may inflate to.
    ///   - maxLineBytes: the longest line; a longer one is skipped and reported (`ArchiveError.lineTooLong`).
    package init(maxDecompressedBytes: Int, maxLineBytes: Int = Archive.defaultMaxLineBytes) {
        limit = maxDecompressedBytes
        self.maxLineBytes = maxLineBytes
    }

    deinit {
        if gzip == true { inflateEnd(&stream) }
    }

    /// Whether `finish()` was called and every line was handed out.
    package var isDone: Bool { ended && pending.count == lineStart && !discarding }

    /// Adds the next bytes of the archive.
    package func append(_ chunk: [UInt8]) throws(ArchiveError) {
        guard !chunk.isEmpty else { return }
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

    /// Marks the end of the archive; a gzip stream cut short is an error.
    package func finish() throws(ArchiveError) {
        if gzip == true, !memberEnded { throw .corrupt("the gzip stream ends early (truncated file)") }
        ended = true
    }

    /// The next whole line without its newline; `nil` when more bytes are needed (or, after `finish()`, at the end).
    /// A line over `maxLineBytes` is skipped whole and reported by throwing `ArchiveError.lineTooLong`; decoding can
    /// go on after it.
    package func nextLine() throws(ArchiveError) -> [UInt8]? {
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
            (lineStart, scanned) = (0, 0)
        }
        guard ended, pending.count > lineStart || discarding else { return nil }
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

    /// Drops the lines already handed out once they take up room, so the buffer holds about one line.
    private func compact() {
        guard lineStart > 0, lineStart == pending.count || lineStart >= 1 << 20 else { return }
        pending.removeSubrange(..<lineStart)
        scanned -= lineStart
        lineStart = 0
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
