import GHCCore
import GHCTranslation
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The count_tokens estimator against Claude's published tokenizer on the fixtures in `Fixtures/`
/// (reference counts made by `Fixtures/make_token_fixtures.py`). The README states the bound.
@Suite struct TokenEstimatorAccuracyTests {
    static let bound = 0.15

    static func fixtures() throws -> [(name: String, text: String, reference: Int)] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/token_fixtures.json").path
        let data = try #require(FileManager.default.contents(atPath: path))
        return try #require(JSONValue.parse(Array(data)).arrayValue).compactMap { entry in
            guard let name = entry["name"]?.stringValue, let text = entry["text"]?.stringValue, let count = entry["claude_tokens"]?.intValue
            else { return nil }
            return (name, text, count)
        }
    }

    @Test func everyFixtureIsWithinTheStatedBound() throws {
        let fixtures = try Self.fixtures()
        #expect(fixtures.count == 8)
        var total = 0
        var reference = 0
        for fixture in fixtures {
            let estimate = TokenEstimator.tokens(in: fixture.text)
            let error = abs(Double(estimate - fixture.reference)) / Double(fixture.reference)
            print("token estimate \(fixture.name): \(estimate) vs \(fixture.reference) (\(Int((error * 100).rounded()))%)")
            #expect(error <= Self.bound, "\(fixture.name): estimated \(estimate), Claude's tokenizer \(fixture.reference)")
            total += estimate
            reference += fixture.reference
        }
        #expect(abs(Double(total - reference)) / Double(reference) <= 0.05)
    }
}
