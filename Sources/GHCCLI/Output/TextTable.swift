/// Aligned columns for human output.
package struct TextTable: Sendable {
    /// Column titles.
    package let headers: [String]
    /// Rows of cells.
    package private(set) var rows: [[String]] = []
    /// Columns aligned right (numbers).
    package let rightAligned: Set<Int>

    /// Creates a table with titles.
    package init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    /// Adds a row (missing cells are blank).
    package mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines, columns two spaces apart, titles styled.
    package func render(style: TextStyle = TextStyle(enabled: false)) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ cells: [String], titles: Bool) -> String {
            var parts: [String] = []
            for column in widths.indices {
                let cell = column < cells.count ? cells[column] : ""
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                let isLast = column == widths.count - 1
                var text = rightAligned.contains(column) ? padding + cell : cell + (isLast ? "" : padding)
                if titles { text = style.bold(text) }
                parts.append(text)
            }
            return parts.joined(separator: "  ")
        }
        return ([line(headers, titles: true)] + rows.map { line($0, titles: false) }).joined(separator: "\n") + "\n"
    }
}
