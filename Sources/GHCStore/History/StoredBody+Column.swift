/// How a body is kept in a `requests.db` column: one kind byte, the original size (8 bytes, little-endian),
/// then the kept bytes. Large bodies are compressed here (on the history writer's thread, off the request path)
/// unless they are compressed in memory already, and never compressed twice.
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
        /// zlib data of a `BodyDelta` against the client's body (the request body column only).
        case deltaOfOriginal = 4
        /// zlib data of a `BodyDelta` against the client's body of the record named in `body_base` (the client body
        /// column only; see `BodyBases`).
        case deltaOfEarlier = 5
    }

    /// Bodies smaller than this are stored whole: a delta would save little.
    static let deltaThreshold = 4096

    /// The column value of this body.
    var columnBytes: [UInt8] {
        let kept = compacted()
        return Self.header(kept.truncated ? .truncated : (kept.compressed ? .zlib : .plain), size: originalSize) + kept.bytes
    }

    /// The column value of the body sent upstream: "the same" when it is the client's body, a delta against it when
    /// that is smaller (the usual case: a re-encoding of the same content), else the body itself.
    func columnBytes(against original: StoredBody?) -> [UInt8] {
        if self == original { return Self.sameAsOriginalColumn }
        guard let original, originalSize >= Self.deltaThreshold, let base = original.contents, let target = contents else {
            return columnBytes
        }
        guard let column = Self.deltaColumn(.deltaOfOriginal, of: target, base: base, index: BodyDelta.Index(base)) else {
            return columnBytes
        }
        // A delta under a tenth of the body is smaller than any compression of it: the body is not compressed to check.
        if column.count * 10 < target.count { return column }
        let whole = columnBytes
        return column.count < whole.count ? column : whole
    }

    /// The column value of a body whose `contents` are `target` as a delta of an earlier record's body, when that is
    /// under a tenth of it.
    static func columnBytes(_ target: [UInt8], deltaOf base: [UInt8], index: BodyDelta.Index) -> [UInt8]? {
        guard let column = deltaColumn(.deltaOfEarlier, of: target, base: base, index: index), column.count * 10 < target.count else {
            return nil
        }
        return column
    }

    /// A column holding `target` as a compressed delta of `base`; `nil` when the delta could not be made.
    private static func deltaColumn(_ kind: ColumnKind, of target: [UInt8], base: [UInt8], index: BodyDelta.Index) -> [UInt8]? {
        let delta = BodyDelta.encode(base: base, index: index, target: target)
        // Checked before it replaces the body: a delta that does not rebuild it exactly is never stored.
        guard BodyDelta.apply(delta, to: base) == target, let packed = try? Compression.deflate(delta, level: 6) else { return nil }
        return header(kind, size: target.count) + packed
    }

    private static func header(_ kind: ColumnKind, size: Int) -> [UInt8] {
        var output = [kind.rawValue]
        var rest = UInt64(size)
        for _ in 0..<8 {
            output.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
        return output
    }

    /// The column value that says "the same body as the original request".
    static let sameAsOriginalColumn: [UInt8] = [ColumnKind.sameAsOriginal.rawValue]

    /// Reads a column value; `original` is what `sameAsOriginal` and the deltas stand for (the client's body for the
    /// body sent upstream, the earlier record's for a client body). `nil` for a value this version did not write, or
    /// a delta without its base (the row is then shown without that body).
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
        // At most 1 TiB: a damaged or foreign row is not read, never an overflow.
        guard size <= 1 << 40 else { return nil }
        let kept = Array(column[9...])
        switch kind {
        case .truncated: self = .truncated(size: Int(size))
        case .deltaOfOriginal, .deltaOfEarlier:
            guard let base = original?.contents, let delta = try? Compression.inflate(kept, limit: 2 * Int(size) + 4096),
                let body = BodyDelta.apply(delta, to: base), body.count == Int(size)
            else { return nil }
            self.init(stored: body, compressed: false, originalSize: body.count)
        case .zlib: self.init(stored: kept, compressed: true, originalSize: Int(size))
        case .plain: self.init(stored: kept, compressed: false, originalSize: Int(size))
        case .sameAsOriginal: return nil
        }
    }
}
