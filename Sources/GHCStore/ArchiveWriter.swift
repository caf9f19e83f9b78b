import CZlib
import GHCCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes archive lines to a file descriptor, gzip-compressed as it goes when asked, so an archive of any size
/// never sits in memory. A file is written beside its final name and renamed into place by `close()`: until then
/// (and if anything fails) a file already at that name is untouched.
package final class ArchiveWriter {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var stream = z_stream()
    private let gzip: Bool
    private var output = [UInt8](repeating: 0, count: 64 << 10)
    private let path: String
    /// The file written until `close()` renames it to `path`; `nil` for standard output.
    private var temporary: String?

    /// Opens `path` for writing (`-` is standard output); gzip when `gzip`.
    package init(path: String, gzip: Bool) throws(ArchiveError) {
        self.path = path
        self.gzip = gzip
        if path == "-" {
            descriptor = 1
            ownsDescriptor = false
        } else {
            let temporary = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            ownsDescriptor = true
            guard descriptor >= 0 else { throw .file(path, String(cString: strerror(errno))) }
            self.temporary = temporary
        }
        if gzip {
            // windowBits 15 + 16 selects the gzip wrapper; deflateInit2 is a macro Swift cannot import.
            guard
                deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
                    == Z_OK
            else {
                throw .file(path, "cannot start gzip")
            }
        }
    }

    /// Appends bytes.
    package func write(_ bytes: [UInt8]) throws(ArchiveError) {
        guard gzip else {
            try writeAll(bytes)
            return
        }
        try deflate(bytes, flush: Z_NO_FLUSH)
    }

    deinit {
        if ownsDescriptor, let temporary {
            _ = Glibc.close(descriptor)
            unlink(temporary)
        }
    }

    /// Finishes the gzip stream, makes the file durable and renames it into place.
    package func close() throws(ArchiveError) {
        if gzip {
            try deflate([], flush: Z_FINISH)
            deflateEnd(&stream)
        }
        guard ownsDescriptor, let temporary else { return }
        self.temporary = nil
        var failure: Int32? = fsync(descriptor) == 0 ? nil : errno
        if Glibc.close(descriptor) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw .file(path, Descriptor.reason(failure))
        }
    }

    private func deflate(_ bytes: [UInt8], flush: Int32) throws(ArchiveError) {
        var input = bytes
        var produced: [UInt8] = []
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            var result = Z_OK
            repeat {
                result = output.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.next_out = outputBuffer.baseAddress
                    stream.avail_out = uInt(outputBuffer.count)
                    return CZlib.deflate(&stream, flush)
                }
                produced.append(contentsOf: output[..<(output.count - Int(stream.avail_out))])
            } while stream.avail_out == 0 && result != Z_STREAM_ERROR
            return result
        }
        guard status != Z_STREAM_ERROR else { throw .file(path, "gzip failed") }
        try writeAll(produced)
    }

    private func writeAll(_ bytes: [UInt8]) throws(ArchiveError) {
        if let failure = Descriptor.writeAll(descriptor, bytes) { throw .file(path, Descriptor.reason(failure)) }
    }
}
