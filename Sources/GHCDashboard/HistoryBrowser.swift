import GHCCore
import GHCHTTP
import GHCStore
import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `/api/requests`, `/api/requests/search` and `/api/request/<id>`: pages, searches and details from the history
/// database, with the requests still in flight from memory; from memory alone while the database is not open.
struct HistoryBrowser: Sendable {
    /// The in-memory window.
    let store: RequestStore
    /// The history database.
    let history: RequestHistory?
    /// The live configuration, for the body size limit of details.
    let config: LiveConfig

    /// A page of the list or of a search: `page`/`per_page` (offset paging, as ghc-api 1.0.31) or `cursor` (keyset
    /// paging from a page's `next_cursor`), filtered by `model`, `endpoint`, `status`, `since` and `until`.
    func list(_ request: Request, search: String?) async -> Response {
        let query = request.uri.queryParameters
        // Bounded above too: `(page - 1) * perPage` must not overflow, whatever number a caller sends.
        let page = query["page"].flatMap { Int($0) }.map { min(1_000_000, max(1, $0)) } ?? 1
        let perPage = query["per_page"].flatMap { Int($0) }.map { min(500, max(1, $0)) } ?? 50
        let filter: HistoryFilter
        let cursor: HistoryCursor?
        do {
            filter = try Self.filter(request, search: search)
            cursor = try query["cursor"].map { text throws(HistoryError) in
                guard let cursor = HistoryCursor(String(text)) else { throw .badSearch("cursor is not one this server gave") }
                return cursor
            }
        } catch {
            return JSONResponse.make(["error": .string(error.description)], status: .badRequest)
        }
        var result: HistoryPage
        var source = "database"
        await history?.flush()
        if let history, let database = history.database, history.problem == nil {
            do {
                result = try await database.page(filter, cursor: cursor, offset: (page - 1) * perPage, limit: perPage)
            } catch {
                guard case .badSearch(let reason) = error else { return Self.unavailable(error) }
                return JSONResponse.make(["error": .string(reason)], status: .badRequest)
            }
            if cursor == nil, page == 1, filter.search == nil {
                let running = store.inFlight().filter(filter.accepts)
                result.items = running + result.items
                result.total += running.count
            }
        } else {
            source = "memory"
            let (items, total) = store.page(page, perPage: perPage, filter: filter)
            result = HistoryPage(items: items, total: total, nextCursor: nil)
        }
        return JSONResponse.make([
            "items": .array(result.items.map(\.summary)), "total": .int(result.total), "page": .int(page), "per_page": .int(perPage),
            "total_pages": .int((result.total + perPage - 1) / perPage), "user_filter": .null,
            "next_cursor": result.nextCursor.map(JSONValue.string) ?? .null, "source": .string(source),
        ])
    }

    /// One record (`part`: nil, `request-body` or `response-body`): from memory while its bodies are there, else from
    /// the database.
    func detail(_ id: String, part: String?) async -> Response {
        var found = store.recordWithBodies(id)
        if found == nil { await history?.flush() }
        if found == nil, let database = history?.database {
            do {
                found = try await database.record(id: id)
            } catch {
                return Self.unavailable(error)
            }
        }
        guard let record = found ?? store.record(id) else { return JSONResponse.make(["error": "Request not found"], status: .notFound) }
        let pairs = record.fullPairs(limit: config.current.cacheMaxRequestSize)
        let full = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        switch part {
        case nil:
            return JSONResponse.make(.object(full))
        case "request-body"?:
            return JSONResponse.make(full["request_body"] ?? .null)
        case "response-body"?:
            if let events = full["raw_events"], events != .null { return JSONResponse.make(["raw_events": events]) }
            return JSONResponse.make(full["response_body"] ?? .null)
        default:
            return JSONResponse.make(["error": "Not found"], status: .notFound)
        }
    }

    /// The filter of a request's `model`, `endpoint`, `status`, `since` and `until` (seconds since 1970 or ISO-8601).
    static func filter(_ request: Request, search: String?) throws(HistoryError) -> HistoryFilter {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? {
            DashboardRoutes.formValue(request, name).map(\.trimmedWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        }
        let status = text("status")
        if let status, !HistoryFilter.isValidStatus(status) {
            throw .badSearch("status must be a status (200), a class (4xx), ok or error, not \(status)")
        }
        return HistoryFilter(
            search: search.map(\.trimmedWhitespace).flatMap { $0.isEmpty ? nil : $0 },
            model: text("model"),
            endpoint: text("endpoint"),
            status: status,
            since: try query["since"].map { text throws(HistoryError) in try time(String(text), name: "since") },
            until: try query["until"].map { text throws(HistoryError) in try time(String(text), name: "until") }
        )
    }

    private static func time(_ text: String, name: String) throws(HistoryError) -> Double {
        if let seconds = Double(text), seconds.isFinite { return seconds }
        if let date = try? Date(text, strategy: .iso8601) { return date.timeIntervalSince1970 }
        throw .badSearch("\(name) must be seconds since 1970 or an ISO-8601 time, not \(text)")
    }

    /// A 503 for a database that failed under a read.
    static func unavailable(_ error: HistoryError) -> Response {
        JSONResponse.make(["error": .string("the request history cannot be read: \(error)")], status: .serviceUnavailable)
    }
}
