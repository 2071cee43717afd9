import FlyingFox
import Foundation

/// The preview over HTTP, with FlyingFox: the session's site at every path,
/// the live script's WebSocket at `/_nbrun/live`.
public struct PreviewServer: Sendable {
    public let session: PreviewSession
    public let host: String
    public let port: UInt16

    public init(session: PreviewSession, host: String, port: UInt16) {
        self.session = session
        self.host = host
        self.port = port
    }

    /// Serves until the task is cancelled; `onListening` gets the address once it listens.
    public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
        let server = HTTPServer(address: try .inet(ip4: host, port: port), logger: .disabled)
        await server.appendRoute("GET /_nbrun/live", to: .webSocket(LiveMessages(session: session)))
        let session = self.session
        await server.appendRoute("GET /_nbrun/browsers") { _ in
            HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json", HTTPHeader("Cache-Control"): "no-store"],
                         body: Data(session.browsers.utf8))
        }
        await server.appendRoute("GET *") { request in
            guard let (data, type) = session.file(request.path) else {
                return HTTPResponse(statusCode: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                                    body: Data("no such page: \(request.path)\n".utf8))
            }
            return HTTPResponse(statusCode: .ok, headers: [.contentType: type, HTTPHeader("Cache-Control"): "no-store"], body: data)
        }
        let announce = Task {
            try await server.waitUntilListening()
            onListening("http://\(host):\(port)")
        }
        defer { announce.cancel() }
        try await server.run()
    }
}

/// One browser's WebSocket: the session's messages out; in, what the page shows.
struct LiveMessages: WSMessageHandler {
    let session: PreviewSession

    func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
        let id = UUID()
        let session = self.session
        let messages = session.listen(id)
        return AsyncStream { continuation in
            let forward = Task {
                for await text in messages { continuation.yield(.text(text)) }
                continuation.finish()
            }
            let drain = Task {
                for await message in client {
                    if case .text(let json) = message { session.browser(id, shows: json) }
                }
                forward.cancel()
                continuation.finish()
            }
            continuation.onTermination = { _ in forward.cancel(); drain.cancel() }
        }
    }
}
