import GHCProxy
import HTTPTypes
import Hummingbird

/// Gives every request an id, `x-request-id`: the caller's when it sent a usable one, else a new one (which the
/// request's record then takes as its id, so the header finds the request on the dashboard). The id is on every
/// answer, refusals included, and on the request's log lines.
struct RequestIDMiddleware<Context: CallerRequestContext>: RouterMiddleware {
    /// The header's name.
    static var header: HTTPField.Name { HTTPField.Name("x-request-id")! }

    /// Sets the id on the context, runs the request, and puts the id on its answer.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let identity = RequestIdentity.of(header: request.headers[Self.header])
        context.requestID = identity
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[Self.header] = identity.value
        return response
    }
}
