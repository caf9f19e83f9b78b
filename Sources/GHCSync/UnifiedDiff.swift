/// A unified diff of two texts by lines (longest common subsequence), with three lines of context.
package enum UnifiedDiff {
    /// The diff of `old` (labelled `oldName`) against `new`; empty when they are equal.
    package static func make(old: String, new: String, oldName: String, newName: String) -> [String] {
        let a = lines(old)
        let b = lines(new)
        guard a != b else { return [] }
        guard a.count * b.count <= 4_000_000 else {
            return ["--- \(oldName)", "+++ \(newName)", "(\(a.count) and \(b.count) lines differ; too long to compare line by line)"]
        }
        let edits = script(a, b)
        var output = ["--- \(oldName)", "+++ \(newName)"]
        var index = 0
        while index < edits.count {
            guard let firstChange = edits[index...].firstIndex(where: { $0.kind != " " }) else { break }
            var end = firstChange
            var lastChange = firstChange
            while end < edits.count {
                if edits[end].kind != " " { lastChange = end }
                if end - lastChange > 6 { break }
                end += 1
            }
            let start = max(index, firstChange - 3)
            let stop = min(edits.count, lastChange + 4)
            let hunk = edits[start..<stop]
            let oldStart = (hunk.first?.oldLine ?? 0) + 1
            let newStart = (hunk.first?.newLine ?? 0) + 1
            let oldCount = hunk.filter { $0.kind != "+" }.count
            let newCount = hunk.filter { $0.kind != "-" }.count
            output.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
            output += hunk.map { String($0.kind) + $0.text }
            index = stop
        }
        return output
    }

    private struct Edit {
        var kind: Character
        var text: String
        var oldLine: Int
        var newLine: Int
    }

    private static func lines(_ text: String) -> [String] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// The edit script from the LCS table (at most four million cells).
    private static func script(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count
        let m = b.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                edits.append(Edit(kind: " ", text: a[i], oldLine: i, newLine: j))
                i += 1
                j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                edits.append(Edit(kind: "-", text: a[i], oldLine: i, newLine: j))
                i += 1
            } else {
                edits.append(Edit(kind: "+", text: b[j], oldLine: i, newLine: j))
                j += 1
            }
        }
        return edits
    }
}
