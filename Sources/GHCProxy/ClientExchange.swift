import GHCCore
import Hummingbird

/// One client request on its way through the proxy: what its record and its log line are made of.
struct ClientExchange: Sendable {
    /// The request as the client sent it.
    let request: Request
    /// Who sent it.
    let caller: Caller
    /// Its JSON body.
    let body: JSONRequestBody
    /// The model the client named.
    let model: String
    /// The Copilot model it goes to.
    let mapped: String

    /// The model for the log line: `model`, or `model→mapped` when they differ.
    var label: String { model == mapped ? model : "\(model)→\(mapped)" }

    /// Starts the request's record, with `upstreamBody` as the body sent to Copilot.
    func record(in recorder: Recorder, upstreamBody: [UInt8]) -> RecordHandle {
        recorder.start(request, caller: caller, body: body, model: model, mapped: mapped, upstreamBody: upstreamBody)
    }
}
