import Foundation

/// The OpenAPI 3.1 description of the socket API, shipped with the server and served at
/// `GET /openapi.json`. The repository's copy (`Sources/PurserServer/Resources/openapi.json`)
/// is the source; tests check the server's answers against it.
public enum OpenAPIDocument {
    public static func bytes() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: url))
    }
}
