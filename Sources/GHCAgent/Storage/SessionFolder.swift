import Foundation
import GHCCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One machine's folder of session files: `<id>.jl.b64gz` written and read, legacy `<id>.json` read.
package struct SessionFolder: Sendable {
    /// The folder.
    package let path: String

    /// The folder at `path` (created on the first write).
    package init(path: String) {
        self.path = path
    }

    /// Whether `id` is safe as a file name (letters, digits, `-`, `_`, `.`; not `.`/`..`).
    package static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 200 && id != "." && id != ".."
            && id.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "-_.".utf8.contains(byte)
            }
    }

    /// The file of session `id`.
    package func file(_ id: String) -> String { path + "/" + id + ".jl.b64gz" }

    /// Starts the file of a new session with its header (replacing nothing: an existing file is appended to).
    package func create(header: JSONValue) throws(AgentError) {
        guard let id = header["session_id"]?.stringValue, Self.isValidID(id) else { throw .storage("a session id is not a safe file name") }
        try append(id, [header])
    }

    /// Appends records to session `id`'s file in one write (`O_APPEND`), so a reader never sees half a line.
    package func append(_ id: String, _ records: [JSONValue]) throws(AgentError) {
        guard Self.isValidID(id) else { throw .storage("\(id) is not a safe session id") }
        var bytes: [UInt8] = []
        for record in records { bytes += try SessionLine.encode(record) }
        do { try FileStore.ensureDirectory(path) } catch { throw .storage("\(error)") }
        let descriptor = open(file(id), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .storage("cannot open \(file(id)): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        if let failure = Descriptor.writeAll(descriptor, bytes) {
            throw .storage("cannot write \(file(id)): \(Descriptor.reason(failure))")
        }
    }

    /// Session `id`, from its `.jl.b64gz` file or else its legacy `.json` file.
    package func read(_ id: String) -> StoredSession? {
        guard Self.isValidID(id) else { return nil }
        return readFile(path + "/" + id + ".jl.b64gz") ?? readFile(path + "/" + id + ".json")
    }

    /// Every readable session, newest file first (unreadable files are skipped).
    package func list() -> [StoredSession] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var seen: Set<String> = []
        var sessions: [StoredSession] = []
        for name in names.sorted() where name.hasSuffix(".jl.b64gz") || name.hasSuffix(".json") {
            guard let session = readFile(path + "/" + name), seen.insert(session.id).inserted else { continue }
            sessions.append(session)
        }
        return sessions.sorted { $0.modified > $1.modified }
    }

    private func readFile(_ file: String) -> StoredSession? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let modified = ((try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        if file.hasSuffix(".json") {
            guard let value = try? JSONParser.parse(Array(data)) else { return nil }
            return StoredSession(legacy: value, modified: modified)
        }
        let records = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { SessionLine.decode($0) }
        return StoredSession(records: records, modified: modified)
    }
}
