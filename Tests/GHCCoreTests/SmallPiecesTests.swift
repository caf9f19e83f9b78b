import Foundation
import GHCCore
import Testing

@Suite struct ConfigLocationTests {
    @Test func overrideExpandsHomeAndVariables() {
        let env = ["GHC_API_CONFIG_DIR": "~/cfg/$WHO", "WHO": "me"]
        #expect(ConfigLocation.resolve(environment: env, home: "/home/u").directory == "/home/u/cfg/me")
        #expect(ConfigLocation.resolve(environment: [:], home: "/home/u").configFile == "/home/u/.ghc-api/config.yaml")
        #expect(ConfigLocation.resolve(environment: ["PWD": "/w"], home: "/h", configFileOverride: "x.yaml").configFile == "/w/x.yaml")
        #expect(ConfigLocation.resolve(environment: [:], home: "/h").githubTokenFile == "/h/.ghc-api/github_token.txt")
    }
}

@Suite struct RedactionTests {
    @Test func tokensNeverAppearWhole() {
        let token = "gho_abcdefghijklmnopqrstuvwxyz0123456789"
        let scrubbed = Redaction.scrub("bad credentials for \(token) (and tid=123456789;exp=99999999;sku=x)")
        #expect(!scrubbed.contains(token))
        #expect(!scrubbed.contains("exp=99999999"))
        #expect(scrubbed.hasPrefix("bad credentials for gho_ab…"))
        #expect(Redaction.prefix(of: token).count <= 7)
    }
}

@Suite struct SuggestionTests {
    @Test func closeTyposAreSuggested() {
        #expect(Suggestion.closest(to: "conifg", among: ["auth", "config", "models"]) == "config")
        #expect(Suggestion.closest(to: "xyz", among: ["auth", "config"]) == nil)
        #expect(Suggestion.closest(to: "--jsn", among: ["--json", "--help"]) == "--json")
    }
}

@Suite struct FormEncodingTests {
    @Test func roundTrip() {
        let body = FormEncoding.encode([("scope", "read:user copilot"), ("x", "a&b=c/é")])
        #expect(body == "scope=read%3Auser+copilot&x=a%26b%3Dc%2F%C3%A9")
        #expect(FormEncoding.decode(body) == ["scope": "read:user copilot", "x": "a&b=c/é"])
    }
}

@Suite struct RequestIDTests {
    @Test func idsAreLowercaseVersion7UUIDsAndDoNotRepeat() {
        let ids = (0..<10_000).map { _ in RequestID.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(200) {
            let groups = id.split(separator: "-").map(String.init)
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
            #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
            #expect(groups[2].first == "7")
            #expect("89ab".contains(groups[3].first ?? "x"))
        }
    }

    @Test func idsSortInTheOrderTheyWereMadeAndCarryTheTime() {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let ids = (0..<10_000).map { _ in RequestID.next() }
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        #expect(ids == ids.sorted())
        let millisecond = ids.first.flatMap { UInt64($0.replacingOccurrences(of: "-", with: "").prefix(12), radix: 16) } ?? 0
        #expect(millisecond >= before && millisecond <= after + 1)
    }
}
