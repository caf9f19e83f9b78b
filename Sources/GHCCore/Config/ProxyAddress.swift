/// How clients on this machine reach the proxy.
package enum ProxyAddress {
    /// `http://HOST:PORT` for a server listening on `address` (a wildcard address is reached on loopback).
    package static func url(address: String, port: Int) -> String {
        let host = host(address: address)
        return "http://" + (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// The host to connect to for a server listening on `address`: a wildcard address is reached on loopback.
    package static func host(address: String) -> String {
        address == "0.0.0.0" || address.isEmpty ? "127.0.0.1" : address == "::" ? "::1" : address
    }
}
