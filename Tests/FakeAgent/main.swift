import GHCCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A deliberately misbehaving ACP agent for the client's unit tests. The first argument picks the misbehaviour:
//   echo             a well-behaved agent: one update per prompt, end_turn
//   malformed        a non-JSON line and a JSON array before each answer
//   giant            a 3 MB line during the prompt, then the normal answer
//   crash            one update, a line on stderr, then exit 7 in the middle of the prompt
//   unknown-request  calls a method the client does not know and reports the error code it got
//   version2         answers initialize with protocol version 2
//   silent-exit      exits at once without reading anything

let mode = CommandLine.arguments.dropFirst().first ?? "echo"
/// Writes a line to a descriptor whole (stdio's globals are not concurrency-safe in Swift 6).
func emit(_ text: String, to descriptor: Int32 = 1) {
    var bytes = Array((text + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeMutableBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        offset += written
    }
    bytes.removeAll()
}

func send(_ value: JSONValue) {
    emit(value.jsonString())
}

func answer(_ id: JSONValue, _ result: JSONValue) {
    send(["jsonrpc": "2.0", "id": id, "result": result])
}

func update(_ session: String, _ text: String) {
    send([
        "jsonrpc": "2.0", "method": "session/update",
        "params": [
            "sessionId": .string(session),
            "update": ["sessionUpdate": "agent_message_chunk", "content": ["type": "text", "text": .string(text)]],
        ],
    ])
}

func readMessage() -> JSONValue? {
    while let line = readLine(strippingNewline: true) {
        if let value = try? JSONParser.parse(Array(line.utf8)) { return value }
    }
    return nil
}

if mode == "silent-exit" {
    emit("fake agent: nothing to do", to: 2)
    exit(4)
}

while let message = readMessage() {
    guard let id = message["id"], let method = message["method"]?.stringValue else { continue }
    if mode == "malformed" {
        emit("this is not json")
        emit("[1,2,3]")
    }
    switch method {
    case "initialize":
        answer(
            id,
            [
                "protocolVersion": mode == "version2" ? 2 : 1, "agentCapabilities": ["loadSession": false],
                "agentInfo": ["name": "fake-agent", "version": "0.0.1"],
            ]
        )
    case "session/new":
        answer(
            id,
            [
                "sessionId": "fake-1",
                "modes": ["currentModeId": "ask", "availableModes": [["id": "ask", "name": "Ask"], ["id": "plan", "name": "Plan"]]],
            ]
        )
    case "session/set_mode":
        answer(id, [:])
    case "session/set_config_option":
        // Echoes what it was sent, so a test sees the params' shape.
        let params = message["params"] ?? .null
        answer(
            id,
            [
                "configOptions": [
                    ["id": params["configId"] ?? .null, "currentValue": params["value"] ?? .null, "type": params["type"] ?? "select"]
                ]
            ]
        )
    case "session/prompt":
        switch mode {
        case "giant":
            emit(
                "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"fake-1\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\""
                    + String(repeating: "x", count: 3 << 20) + "\"}}}}"
            )
            update("fake-1", "after the giant line")
        case "crash":
            update("fake-1", "about to crash")
            emit("fatal: the fake agent crashed on purpose", to: 2)
            exit(7)
        case "unknown-request":
            send(["jsonrpc": "2.0", "id": 99, "method": "x/unknown_method", "params": [:]])
            var code = "none"
            while let reply = readMessage() {
                if reply["id"]?.intValue == 99 {
                    code = reply["error"]?["code"]?.intValue.map { "\($0)" } ?? "no error"
                    break
                }
            }
            update("fake-1", "unknown method answered with \(code)")
        default:
            update("fake-1", "echo: " + (message["params"]?["prompt"]?.arrayValue?.first?["text"]?.stringValue ?? ""))
        }
        answer(id, ["stopReason": "end_turn"])
    default:
        send(["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": .string("Method not found: \(method)")]])
    }
}
