import CZlib

/// zlib compression of in-memory bodies (the request store keeps large bodies compressed).
package enum Compression {
    /// Errors of compressing and inflating.
    package enum Failure: Error, Equatable, CustomStringConvertible {
        /// zlib reported an error code.
        case zlib(Int32)
        /// The inflated data would exceed the limit.
        case tooLarge(Int)

        /// One line for the user.
        package var description: String {
            switch self {
            case .zlib(let code): "zlib error \(code)"
            case .tooLarge(let limit): "the decompressed data exceeds \(limit) bytes"
            }
        }
    }

    /// `bytes` deflated with the zlib wrapper.
    package static func deflate(_ bytes: [UInt8], level: Int32 = 1) throws(Failure) -> [UInt8] {
        try compress(bytes, level: level, windowBits: MAX_WBITS)
    }

    /// `bytes` as a gzip member (what Python's `gzip.compress` writes).
    package static func gzip(_ bytes: [UInt8], level: Int32 = 6) throws(Failure) -> [UInt8] {
        try compress(bytes, level: level, windowBits: MAX_WBITS + 16)
    }

    private static func compress(_ bytes: [UInt8], level: Int32, windowBits: Int32) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        let size = Int32(MemoryLayout<z_stream>.size)
        guard deflateInit2_(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, size) == Z_OK else {
            throw .zlib(Z_STREAM_ERROR)
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        var input = bytes
        let result = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw .zlib(result) }
        // A right-sized copy: trimming in place would keep the whole deflateBound buffer allocated.
        return Array(output[..<Int(stream.total_out)])
    }

    /// Inflates zlib data, refusing to produce more than `limit` bytes.
    package static func inflate(_ bytes: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        try decompress(bytes, limit: limit, windowBits: MAX_WBITS)
    }

    /// Inflates gzip (or zlib) data, refusing to produce more than `limit` bytes.
    package static func gunzip(_ bytes: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        try decompress(bytes, limit: limit, windowBits: MAX_WBITS + 32)
    }

    private static func decompress(_ bytes: [UInt8], limit: Int, windowBits: Int32) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .zlib(Z_STREAM_ERROR)
        }
        defer { inflateEnd(&stream) }
        var input = bytes
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBufferPointer { (inputBuffer) throws(Failure) in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while status != Z_STREAM_END {
                status = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw .zlib(status) }
                let produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > limit { throw .tooLarge(limit) }
                output.append(contentsOf: chunk[..<produced])
                if produced == 0 && stream.avail_in == 0 && status != Z_STREAM_END { throw .zlib(Z_BUF_ERROR) }
            }
        }
        return output
    }
}
