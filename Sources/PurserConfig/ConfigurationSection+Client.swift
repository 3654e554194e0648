extension ConfigurationSection {
    /// `client:`, how the CLI talks to a server: `token:`, the secret it sends.
    static let client = ConfigurationSection(key: "client") { node, path, reader, configuration in
        guard let map = reader.mapping(node, at: path, keys: ["token"]) else { return }
        configuration.client.token = reader.field("token", in: map, required: false) { reader, node, path in
            guard let token = reader.string(node, at: path) else { return nil }
            // It goes into an HTTP header as it is.
            guard !token.isEmpty, token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                reader.report(
                    "expected a token such as purser_..., without spaces or other characters an HTTP header cannot carry",
                    at: path, node: node)
                return nil
            }
            return token
        }
    }
}
