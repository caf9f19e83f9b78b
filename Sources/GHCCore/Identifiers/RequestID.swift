import Synchronization

/// Lowercase version-4 UUID strings (as the original's `uuid.uuid4()`) for request records and upstream request ids,
/// made without a system call each: Foundation's `UUID()` reads the kernel's random source every time, which cost
/// as much as the rest of a record's creation. The bits come from a SplitMix64 generator seeded once from the
/// system's random source: unique with overwhelming probability, not meant to be secret.
package enum RequestID {
    private static let state = Mutex<UInt64>(UInt64.random(in: .min ... .max))

    /// A new identifier, such as `3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b`.
    package static func next() -> String {
        let (high, low) = state.withLock { seed -> (UInt64, UInt64) in
            (mix(&seed), mix(&seed))
        }
        // Version 4 in the time_hi nibble, variant 10 in the clock_seq's top bits.
        let versioned = (high & ~0xF000) | 0x4000
        let varianted = (low & ~(0xC000 << 48)) | (0x8000 << 48)
        return format(versioned, varianted)
    }

    /// One SplitMix64 step.
    private static func mix(_ seed: inout UInt64) -> UInt64 {
        seed &+= 0x9E37_79B9_7F4A_7C15
        var z = seed
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `high` and `low` as 8-4-4-4-12 lowercase hex digits.
    private static func format(_ high: UInt64, _ low: UInt64) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            func put(_ value: UInt64, nibbles: Int) {
                for shift in stride(from: (nibbles - 1) * 4, through: 0, by: -4) {
                    buffer[position] = digits.utf8Start[Int((value >> UInt64(shift)) & 0xF)]
                    position += 1
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            put(high >> 32, nibbles: 8)
            dash()
            put((high >> 16) & 0xFFFF, nibbles: 4)
            dash()
            put(high & 0xFFFF, nibbles: 4)
            dash()
            put(low >> 48, nibbles: 4)
            dash()
            put(low & 0xFFFF_FFFF_FFFF, nibbles: 12)
            return position
        }
    }
}
