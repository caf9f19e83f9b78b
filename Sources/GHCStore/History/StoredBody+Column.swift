/// How a body is kept in a `requests.db` column: one kind byte, the original size (8 bytes, little-endian),
/// then the kept bytes. Large bodies are stored with the zlib data they already have in memory, never
/// compressed twice.
extension StoredBody {
    /// The kind byte of a column value.
    enum ColumnKind: UInt8 {
        /// The bytes as they are.
        case plain = 0
        /// zlib data.
        case zlib = 1
        /// Only the size: the body was over `cache_max_request_size`.
        case truncated = 2
        /// The body sent upstream is the one the client sent (the request body column only).
        case sameAsOriginal = 3
    }

    /// The column value of this body.
    var columnBytes: [UInt8] {
        let kind: ColumnKind = truncated ? .truncated : (compressed ? .zlib : .plain)
        var output = [kind.rawValue]
        output.reserveCapacity(9 + bytes.count)
        var size = UInt64(originalSize)
        for _ in 0..<8 {
            output.append(UInt8(truncatingIfNeeded: size))
            size >>= 8
        }
        output.append(contentsOf: bytes)
        return output
    }

    /// The column value that says "the same body as the original request".
    static let sameAsOriginalColumn: [UInt8] = [ColumnKind.sameAsOriginal.rawValue]

    /// Reads a column value; `original` is what `sameAsOriginal` stands for. `nil` for a value this version did not
    /// write (the row is then shown without that body).
    init?(column: [UInt8], original: StoredBody?) {
        guard let first = column.first, let kind = ColumnKind(rawValue: first) else { return nil }
        if kind == .sameAsOriginal {
            guard let original else { return nil }
            self = original
            return
        }
        guard column.count >= 9 else { return nil }
        var size: UInt64 = 0
        for index in (1...8).reversed() { size = size << 8 | UInt64(column[index]) }
        guard size <= UInt64(Int.max) else { return nil }
        let kept = Array(column[9...])
        switch kind {
        case .truncated: self = .truncated(size: Int(size))
        case .zlib: self.init(stored: kept, compressed: true, originalSize: Int(size))
        case .plain, .sameAsOriginal: self.init(stored: kept, compressed: false, originalSize: Int(size))
        }
    }
}
