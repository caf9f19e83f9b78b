import GHCCore
import PropertyBased
import Testing

@testable import GHCStore

@Suite struct BodyDeltaTests {
    /// A target made from a base by cutting, repeating and inserting pieces (as shaping does to a body).
    static func edited(_ base: [UInt8], by edits: [Int]) -> [UInt8] {
        var target = base
        for (step, edit) in edits.enumerated() {
            let at = target.isEmpty ? 0 : (step * 7919 + edit * 104_729) % (target.count + 1)
            switch edit % 3 {
            case 0: target.insert(contentsOf: Array(repeating: UInt8(edit), count: edit * 5), at: at)
            case 1: target.removeSubrange(at..<min(target.count, at + edit * 9))
            default: target.insert(contentsOf: base.prefix(edit * 40), at: at)
            }
        }
        return target
    }

    @Test func aDeltaRebuildsItsTargetExactly() async {
        let bases = Gen<UInt8>.value(in: 0...3).array(of: 0...4000)
        let edits = Gen<Int>.int(in: 0...12).array(of: 0...40)
        await propertyCheck(count: 2000, input: bases, edits) { (base: [UInt8], edits: [Int]) in
            let target = Self.edited(base, by: edits)
            #expect(BodyDelta.apply(BodyDelta.encode(base: base, index: .init(base), target: target), to: base) == target)
            #expect(BodyDelta.apply(BodyDelta.encode(base: target, index: .init(target), target: base), to: target) == base)
        }
    }

    @Test func aReEncodedBodyIsStoredAsASmallDeltaAndReadBackWhole() throws {
        // Varied words, so the body compresses no better than prose.
        var generator = SystemRandomNumberGenerator()
        let messages = (0..<400).map { _ in
            let words = (0..<12).map { _ in String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 36) }
            return #"{"role":"user","content":"\#(words.joined(separator: " "))"}"#
        }
        let client = Array(("{\"model\": \"claude-opus-5-5\", \"messages\": [" + messages.joined(separator: ", ") + "]}").utf8)
        let sent = Array(
            ("{\"max_tokens\":32000,\"messages\":[" + messages.joined(separator: ",") + "],\"model\":\"claude-opus-5.5\"}").utf8
        )
        let original = StoredBody(client, limit: 0)
        let upstream = StoredBody(sent, limit: 0)
        let column = upstream.columnBytes(against: original)
        #expect(column.first == StoredBody.ColumnKind.deltaOfOriginal.rawValue)
        #expect(column.count * 4 < upstream.columnBytes.count, "a delta is a fraction of the body it replaces")
        let back = try #require(StoredBody(column: column, original: original))
        #expect(back.contents == sent)
        #expect(
            StoredBody(column: column, original: StoredBody(Array(client.dropLast(7)), limit: 0)) == nil,
            "a delta never applies to another base"
        )
    }
}
