/// Where a connection goes: the scheme, host and port of an absolute `http` or `https` URL. Connections are pooled by
/// origin.
struct UpstreamOrigin: Hashable, Sendable {
    /// Whether the connection speaks TLS (`https`).
    let tls: Bool
    /// The host name or address, without the brackets of an IPv6 literal.
    let host: String
    /// The port.
    let port: Int

    /// The `Host` header: the host, with the port when it is not the scheme's default.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (tls ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Whether `host` is an IP address rather than a name (TLS then sends no server name).
    var hostIsAddress: Bool {
        host.contains(":") || host.utf8.allSatisfy { $0 == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

/// An absolute `http` or `https` URL split into its origin and the request target sent in the request line.
struct UpstreamTarget: Sendable {
    /// The origin to connect to.
    let origin: UpstreamOrigin
    /// The path and query, `/` when the URL has none.
    let path: String

    /// Splits `url`; `nil` when it is not an absolute `http` or `https` URL with a host (user names are refused).
    init?(_ url: String) {
        guard let separator = url.firstRange(of: "://") else { return nil }
        let tls: Bool
        switch url[..<separator.lowerBound].lowercased() {
        case "https": tls = true
        case "http": tls = false
        default: return nil
        }
        let rest = url[separator.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        guard let (host, port) = Self.split(authority, defaultPort: tls ? 443 : 80) else { return nil }
        let target = rest[authorityEnd...].prefix { $0 != "#" }
        origin = UpstreamOrigin(tls: tls, host: host, port: port)
        path = target.hasPrefix("/") ? String(target) : "/" + target
    }

    /// The host and port of an authority (`host`, `host:port`, `[v6]`, `[v6]:port`).
    private static func split(_ authority: Substring, defaultPort: Int) -> (String, Int)? {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        // An IPv6 address must be in brackets; an empty port is the scheme's (RFC 3986).
        guard !host.isEmpty, authority.hasPrefix("[") || !host.contains(":") else { return nil }
        guard let portText, !portText.isEmpty else { return (String(host), defaultPort) }
        guard portText.allSatisfy(\.isASCIIDigit), let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (String(host), port)
    }
}

extension Character {
    /// Whether this is one of `0`…`9`.
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
