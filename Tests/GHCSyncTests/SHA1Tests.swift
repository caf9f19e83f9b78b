import GHCSync
import Testing

@Suite struct SHA1Tests {
    @Test(arguments: [
        ([UInt8](), "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        (Array("abc".utf8), "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ([UInt8](repeating: 0x61, count: 55), "c1c8bbdc22796e28c0e15163d20899b65621d65a"),
        ([UInt8](repeating: 0x61, count: 56), "c2db330f6083854c99d4b5bfb6e8f29f201be699"),
        ([UInt8](repeating: 0x61, count: 64), "0098ba824b5c16427bd7a1122a5a442a25ec644d"),
        ([UInt8](repeating: 0x61, count: 119), "ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56"),
        (Array((0..<768).map { UInt8($0 % 256) }), "ac2a264c8ec1f4232a40854e8239bc3a697ab1d2"),
    ])
    func digestsMatchPythonsHashlib(bytes: [UInt8], expected: String) {
        #expect(SHA1.hex(bytes) == expected)
        var split = SHA1()
        split.update(bytes.prefix(bytes.count / 3))
        split.update(bytes.dropFirst(bytes.count / 3))
        #expect(split.hexDigest() == expected, "fed in pieces")
    }
}
