#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// A flat table (one block per slot, the first of those that land there): a lookup for every byte of the target
    /// that matches nothing is one load, where a dictionary hashed each one again.
    struct Index: Sendable {
        /// The offset of a block plus one, by slot; 0 when no block landed there.
        fileprivate let slots: [Int]
        /// The hash's bits dropped to make a slot.
        fileprivate let shift: UInt64

        /// The index of `base`.
        init(_ base: [UInt8]) {
            let blocks = base.count / BodyDelta.block
            var bits = 4
            while 1 << bits < 2 * blocks { bits += 1 }
            shift = UInt64(64 - bits)
            var slots = [Int](repeating: 0, count: 1 << bits)
            if blocks > 0 {
                for start in stride(from: 0, through: base.count - BodyDelta.block, by: BodyDelta.block) {
                    let slot = Self.slot(BodyDelta.rollingHash(base[start..<(start + BodyDelta.block)]), shift: shift)
                    if slots[slot] == 0 { slots[slot] = start + 1 }
                }
            }
            self.slots = slots
        }

        /// The offset of a block of the base whose hash may be `hash` (the caller compares the bytes).
        @inline(__always) func candidate(_ hash: UInt64) -> Int? {
            let stored = slots[Self.slot(hash, shift: shift)]
            return stored == 0 ? nil : stored - 1
        }

        @inline(__always) private static func slot(_ hash: UInt64, shift: UInt64) -> Int {
            Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }
    }

    /// The delta that rebuilds `target` from `base`, whose `index` is made already (`Index(base)`).
    static func encode(base: [UInt8], index: Index, target: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(target.count / 16)
        guard base.count >= block, target.count >= block else {
            appendLiteral(target[...], to: &output)
            return output
        }
        base.withUnsafeBufferPointer { base in
            target.withUnsafeBufferPointer { target in
                encode(base: base, index: index, target: target, into: &output)
            }
        }
        return output
    }

    private static func encode(
        base: UnsafeBufferPointer<UInt8>,
        index: Index,
        target: UnsafeBufferPointer<UInt8>,
        into output: inout [UInt8]
    ) {
        let power = (0..<(block - 1)).reduce(UInt64(1)) { value, _ in value &* prime }
        var literalStart = 0
        var position = 0
        var hash = rollingHash(target[0..<block])
        while position + block <= target.count {
            if let candidate = index.candidate(hash), sameBytes(base, candidate, target, position, count: block) {
                var start = candidate
                var from = position
                // Grow the match back into the pending literal, then forward as far as the bytes agree.
                while start > 0, from > literalStart, base[start - 1] == target[from - 1] {
                    start -= 1
                    from -= 1
                }
                let end = candidate + block + sharedRun(base, candidate + block, target, position + block)
                let to = position + (end - candidate)
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
    }

    /// Whether `count` bytes of `first` from `offset` equal those of `second` from `other`.
    @inline(__always)
    private static func sameBytes(
        _ first: UnsafeBufferPointer<UInt8>,
        _ offset: Int,
        _ second: UnsafeBufferPointer<UInt8>,
        _ other: Int,
        count: Int
    ) -> Bool {
        guard offset + count <= first.count, other + count <= second.count, let left = first.baseAddress,
            let right = second.baseAddress
        else { return false }
        return memcmp(left + offset, right + other, count) == 0
    }

    /// How many bytes agree from `offset` in `first` and `other` in `second`, eight at a time while they can.
    @inline(__always)
    static func sharedRun(
        _ first: UnsafeBufferPointer<UInt8>,
        _ offset: Int,
        _ second: UnsafeBufferPointer<UInt8>,
        _ other: Int
    ) -> Int {
        let limit = min(first.count - offset, second.count - other)
        guard limit > 0, let firstStart = first.baseAddress, let secondStart = second.baseAddress else { return 0 }
        let left = UnsafeRawPointer(firstStart + offset)
        let right = UnsafeRawPointer(secondStart + other)
        var run = 0
        while run + 8 <= limit,
            left.loadUnaligned(fromByteOffset: run, as: UInt64.self) == right.loadUnaligned(fromByteOffset: run, as: UInt64.self)
        {
            run += 8
        }
        while run < limit, left.load(fromByteOffset: run, as: UInt8.self) == right.load(fromByteOffset: run, as: UInt8.self) { run += 1 }
        return run
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

    fileprivate static func rollingHash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt64 {
        bytes.reduce(UInt64(0)) { $0 &* prime &+ UInt64($1) }
    }

    private static func appendLiteral<Bytes: Collection<UInt8>>(_ bytes: Bytes, to output: inout [UInt8]) {
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
