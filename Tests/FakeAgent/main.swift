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
setvbuf(stdout, nil, _IOLBF, 0)

func send(_ value: JSONValue) {
    print(value.jsonString())
    fflush(stdout)
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
    fputs("fake agent: nothing to do\n", stderr)
    exit(4)
}

while let message = readMessage() {
    guard let id = message["id"], let method = message["method"]?.stringValue else { continue }
    if mode == "malformed" {
        print("this is not json")
        print("[1,2,3]")
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
        answer(id, ["sessionId": "fake-1"])
    case "session/prompt":
        switch mode {
        case "giant":
            print(
                "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"fake-1\",\"update\":{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\""
                    + String(repeating: "x", count: 3 << 20) + "\"}}}}"
            )
            update("fake-1", "after the giant line")
        case "crash":
            update("fake-1", "about to crash")
            fputs("fatal: the fake agent crashed on purpose\n", stderr)
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
        send(["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": "Method not found: \(method)"]])
    }
}
