import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lowercase UUID strings for request records and upstream request ids, version 7 (RFC 9562): the first 48 bits are
/// the Unix time in milliseconds, so ids made later sort later. `requests.db` indexes the id; random (version-4) ids
/// landed on a different index page each, and a batch of a hundred records rewrote a hundred pages of that index
/// into the write-ahead log, where time-ordered ids append to the last page or two.
///
/// Made without a system call each (Foundation's `UUID()` reads the kernel's random source every time): the random
/// bits come from a SplitMix64 generator seeded once; unique with overwhelming probability, not meant to be secret.
/// Within one millisecond the 12 bits after the version count up (RFC 9562's method 1), so ids from one process
/// never go backwards even when the clock does.
package enum RequestID {
    private struct State {
        var seed = UInt64.random(in: .min ... .max)
        var millisecond: UInt64 = 0
        var counter: UInt64 = 0
    }

    private static let state = Mutex(State())

    /// A new identifier, such as `019ae5a2-3c41-7a0e-8b2a-1c3d5e7f9a0b`.
    package static func next() -> String {
        let now = currentMilliseconds()
        let (millisecond, counter, random) = state.withLock { state -> (UInt64, UInt64, UInt64) in
            if now > state.millisecond {
                state.millisecond = now
                // A random start in the lower half leaves room to count up within the millisecond.
                state.counter = mix(&state.seed) & 0x7FF
            } else {
                state.counter += 1
                if state.counter > 0xFFF {
                    state.millisecond += 1
                    state.counter = 0
                }
            }
            return (state.millisecond, state.counter, mix(&state.seed))
        }
        let high = (millisecond & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | counter
        // Variant 10 in the top two bits of the second half.
        let low = (random & ~(0xC000 << 48)) | (0x8000 << 48)
        return format(high, low)
    }

    /// The Unix time in milliseconds.
    private static func currentMilliseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(max(0, time.tv_sec)) * 1000 + UInt64(max(0, time.tv_nsec)) / 1_000_000
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
