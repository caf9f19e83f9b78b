/// A byte-level delta of one body against another: the body sent upstream is mostly the client's body re-encoded
/// (keys reordered, spacing changed, a field shaped away), so it is stored as copies of the client's body's bytes and
/// the few bytes between them. Exact: `apply(encode(base, target), to: base) == target` for any two byte strings.
///
/// The encoding is a list of operations, each a tag byte and varints: `0 len bytes…` (literal) or
/// `1 offset len` (copy `len` bytes of the base from `offset`).
enum BodyDelta {
    /// Matches shorter than this are written as literals; the base is indexed in blocks of this size.
    static let block = 32

    /// Where each aligned block of a base is, by hash: made once for a base that several targets are encoded against.
    struct Index: Sendable {
        fileprivate let offsets: [UInt64: Int]

        /// The index of `base`.
        init(_ base: [UInt8]) {
            offsets = BodyDelta.blockIndex(base)
        }
    }

    /// The delta that rebuilds `target` from `base`.
    static func encode(base: [UInt8], target: [UInt8]) -> [UInt8] {
        encode(base: base, index: Index(base), target: target)
    }

    /// The delta that rebuilds `target` from `base`, whose `index` is made already.
    static func encode(base: [UInt8], index: Index, target: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(target.count / 16)
        guard base.count >= block, target.count >= block else {
            appendLiteral(target[...], to: &output)
            return output
        }
        let index = index.offsets
        let power = (0..<(block - 1)).reduce(UInt64(1)) { value, _ in value &* prime }
        var literalStart = 0
        var position = 0
        var hash = rollingHash(target[0..<block])
        while position + block <= target.count {
            if let candidate = index[hash], base[candidate..<(candidate + block)] == target[position..<(position + block)] {
                var start = candidate
                var from = position
                // Grow the match back into the pending literal, then forward as far as the bytes agree.
                while start > 0, from > literalStart, base[start - 1] == target[from - 1] {
                    start -= 1
                    from -= 1
                }
                var end = candidate + block
                var to = position + block
                while end < base.count, to < target.count, base[end] == target[to] {
                    end += 1
                    to += 1
                }
                appendLiteral(target[literalStart..<from], to: &output)
                output.append(1)
                appendVarint(start, to: &output)
                appendVarint(end - start, to: &output)
                literalStart = to
                position = to
                if position + block <= target.count { hash = rollingHash(target[position..<(position + block)]) }
                continue
            }
            if position + block < target.count {
                hash = (hash &- UInt64(target[position]) &* power) &* prime &+ UInt64(target[position + block])
            }
            position += 1
        }
        appendLiteral(target[literalStart...], to: &output)
        return output
    }

    /// Rebuilds a target from its delta against `base`; `nil` when the delta does not fit the base.
    static func apply(_ delta: [UInt8], to base: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var offset = 0
        while offset < delta.count {
            let tag = delta[offset]
            offset += 1
            guard let first = readVarint(delta, &offset) else { return nil }
            switch tag {
            case 0:
                guard first <= delta.count - offset else { return nil }
                output.append(contentsOf: delta[offset..<(offset + first)])
                offset += first
            case 1:
                guard let length = readVarint(delta, &offset), first <= base.count, length <= base.count - first else { return nil }
                output.append(contentsOf: base[first..<(first + length)])
            default:
                return nil
            }
        }
        return output
    }

    private static let prime: UInt64 = 1_099_511_628_211

    private static func rollingHash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(UInt64(0)) { $0 &* prime &+ UInt64($1) }
    }

    /// The offset of each aligned block of the base, by hash (the first one of equal blocks).
    private static func blockIndex(_ base: [UInt8]) -> [UInt64: Int] {
        var index: [UInt64: Int] = [:]
        guard base.count >= block else { return index }
        index.reserveCapacity(base.count / block)
        for start in stride(from: 0, through: base.count - block, by: block) {
            let hash = rollingHash(base[start..<(start + block)])
            if index[hash] == nil { index[hash] = start }
        }
        return index
    }

    private static func appendLiteral(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        output.append(0)
        appendVarint(bytes.count, to: &output)
        output.append(contentsOf: bytes)
    }

    private static func appendVarint(_ value: Int, to output: inout [UInt8]) {
        var rest = UInt64(value)
        while rest >= 0x80 {
            output.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        output.append(UInt8(rest))
    }

    private static func readVarint(_ bytes: [UInt8], _ offset: inout Int) -> Int? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 63 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value <= UInt64(Int.max) ? Int(value) : nil }
            shift += 7
        }
        return nil
    }
}
