import Testing

@testable import GHCDashboard

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The assets compiled into the binary must be the files in `Sources/GHCDashboard/Assets`
/// (regenerate with `scripts/embed-assets.py`).
@Suite struct DashboardAssetsTests {
    @Test(arguments: [
        "index.html", "requests.html", "code-agent-manager.html", "login.html", "app.css", "common.js", "dashboard.js", "requests.js",
        "code-agent-manager.js", "usage.html", "usage.js", "agent.html", "agent.js",
    ])
    func embeddedAssetIsCurrent(name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try #require(
            FileManager.default.contents(atPath: root.appendingPathComponent("Sources/GHCDashboard/Assets/\(name)").path)
        )
        let file = String(decoding: data, as: UTF8.self)
        let embedded = try #require(EmbeddedAssets.files[name]?.body)
        #expect(embedded == String(file.reversed().drop { $0 == "\n" }.reversed()), "\(name) is stale; run scripts/embed-assets.py")
    }

    @Test func pagesNeverInjectMarkupFromData() throws {
        for (name, asset) in EmbeddedAssets.files where name.hasSuffix(".js") {
            for forbidden in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
                #expect(!asset.body.contains(forbidden), "\(name) uses \(forbidden)")
            }
        }
    }
}
