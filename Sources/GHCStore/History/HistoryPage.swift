/// One page of a list or search, newest first.
package struct HistoryPage: Sendable {
    /// The records (without bodies).
    package var items: [RequestRecord]
    /// How many records pass the filter.
    package var total: Int
    /// The cursor of the page after this one, `nil` on the last page.
    package var nextCursor: String?

    /// Creates a page.
    package init(items: [RequestRecord], total: Int, nextCursor: String?) {
        self.items = items
        self.total = total
        self.nextCursor = nextCursor
    }
}

/// A position in the newest-first order: the arrival time and the row of the last record of a page.
package struct HistoryCursor: Sendable, Equatable {
    /// The record's arrival, in seconds since 1970.
    var timestamp: Double
    /// The record's row.
    var sequence: Int

    /// Reads `<timestamp>_<row>`; `nil` when the text is not a cursor.
    package init?(_ text: String) {
        let parts = text.split(separator: "_")
        guard parts.count == 2, let timestamp = Double(parts[0]), timestamp.isFinite, let sequence = Int(parts[1]) else { return nil }
        self.timestamp = timestamp
        self.sequence = sequence
    }

    /// A cursor after a record.
    init(timestamp: Double, sequence: Int) {
        self.timestamp = timestamp
        self.sequence = sequence
    }

    /// The text form.
    var text: String { "\(timestamp)_\(sequence)" }
}
