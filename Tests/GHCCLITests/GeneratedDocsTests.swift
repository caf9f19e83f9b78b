import Testing

@testable import GHCCLI

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The man page and completion scripts in the repository must be what the specs generate now.
/// Regenerate them with `scripts/generate-docs`.
@Suite struct GeneratedDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .path

    private func committed(_ relative: String) -> String? {
        FileManager.default.contents(atPath: Self.root + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func manPageIsCurrent() {
        #expect(
            committed("man/ghc-api.1") == ManPageWriter(root: CommandTable.root).render(),
            "man/ghc-api.1 is stale; run scripts/generate-docs"
        )
    }

    @Test(arguments: CompletionWriter.shells)
    func completionIsCurrent(shell: String) {
        #expect(
            committed("completions/ghc-api.\(shell)") == CompletionWriter(root: CommandTable.root).render(shell: shell),
            "completions/ghc-api.\(shell) is stale; run scripts/generate-docs"
        )
    }
}
