/// A request or response body as the store keeps it: small ones as they are, larger ones zlib-compressed,
/// and ones over `cache_max_request_size` replaced by a marker that says how large they were.
package struct StoredBody: Sendable, Equatable {
    /// The kept bytes (compressed when `compressed`).
    let bytes: [UInt8]
    /// Whether `bytes` is zlib data.
    let compressed: Bool
    /// The size of the original body.
    package let originalSize: Int
    /// Whether the body was over the limit and is not kept.
    package let truncated: Bool

    /// Bodies at least this large are compressed.
    static let compressionThreshold = 2048

    /// zlib's fastest level: twice as fast as its default on prompts and code, for about a tenth more bytes. The
    /// history writer compresses every body it stores, and at the default it fell behind a client sending 300 KB
    /// requests back to back (the queue of bodies waiting for it grew to 400 MB).
    static let level: Int32 = 1

    /// Keeps `body`, compressing it when large (unless `compress` is false: the request path keeps it as it is and
    /// the store compacts it later), or only its size when it is over `limit` (0: no limit).
    /// - Parameter originalSize: the full size when `body` is only the captured start of it.
    package init(_ body: [UInt8], limit: Int, originalSize: Int? = nil, compress: Bool = true) {
        self.originalSize = originalSize ?? body.count
        if limit > 0, self.originalSize > limit {
            bytes = []
            compressed = false
            truncated = true
        } else if compress, body.count >= Self.compressionThreshold, let packed = try? Compression.deflate(body, level: Self.level),
            packed.count < body.count
        {
            bytes = packed
            compressed = true
            truncated = false
        } else {
            bytes = body
            compressed = false
            truncated = false
        }
    }

    /// The marker of a body of `size` bytes that was not kept (no bytes are allocated for it).
    package static func truncated(size: Int) -> StoredBody {
        StoredBody(bytes: [], compressed: false, originalSize: size, truncated: true)
    }

    /// A body as it was stored: `bytes` (zlib data when `compressed`) of a body of `originalSize` bytes.
    init(stored bytes: [UInt8], compressed: Bool, originalSize: Int) {
        self.init(bytes: bytes, compressed: compressed, originalSize: originalSize, truncated: false)
    }

    private init(bytes: [UInt8], compressed: Bool, originalSize: Int, truncated: Bool) {
        self.bytes = bytes
        self.compressed = compressed
        self.originalSize = originalSize
        self.truncated = truncated
    }

    /// This body compressed, if it is large and not compressed yet.
    package func compacted() -> StoredBody {
        guard !compressed, !truncated, bytes.count >= Self.compressionThreshold else { return self }
        return StoredBody(bytes, limit: 0)
    }

    /// The bytes this body costs in memory.
    package var storedSize: Int { bytes.count }

    /// The original bytes, or `nil` when the body was truncated.
    package var contents: [UInt8]? {
        guard !truncated else { return nil }
        return compressed ? (try? Compression.inflate(bytes, limit: originalSize + 1)) ?? [] : bytes
    }
}
