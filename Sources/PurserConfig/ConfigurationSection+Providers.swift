extension ConfigurationSection {
    /// `providers:`, a mapping from provider name to how it is reached:
    ///
    /// ```yaml
    /// providers:
    ///   local:
    ///     api: openai              # openai | anthropic
    ///     max_tokens_field: max_tokens
    ///     json_mode: json_object
    ///   openai:
    ///     api: openai
    ///     api_key_env: OPENAI_API_KEY
    /// ```
    static let providers = ConfigurationSection(key: "providers") { node, path, reader, configuration in
        guard case .mapping(let mapping) = node else {
            reader.report("expected a mapping from provider name to its settings", at: path, node: node)
            return
        }
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key, !scalar.string.isEmpty else {
                reader.report("expected a provider name", at: path, node: key)
                continue
            }
            let name = scalar.string
            let entryPath = path.appending(name)
            guard let map = reader.mapping(value, at: entryPath, keys: ["api", "api_key_env", "stream", "max_tokens_field", "json_mode"])
            else { continue }
            let api = reader.field("api", in: map, required: true) { reader, node, path -> String? in
                guard let text = reader.string(node, at: path) else { return nil }
                guard ProviderConfiguration.apis.contains(text) else {
                    reader.report("expected one of \(ProviderConfiguration.apis.joined(separator: ", ")), got '\(text)'", at: path, node: node)
                    return nil
                }
                return text
            }
            let variable = reader.field("api_key_env", in: map, required: false) { reader, node, path -> String? in
                guard let text = reader.string(node, at: path) else { return nil }
                let valid = !text.isEmpty && !text.hasPrefix("$") && text.unicodeScalars.allSatisfy {
                    ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                }
                guard valid, !("0"..."9").contains(text.unicodeScalars.first!) else {
                    // Not echoed: what was written here may be the key itself.
                    reader.report(
                        "expected the name of an environment variable such as OPENAI_API_KEY (the name, not the key)",
                        at: path, node: node)
                    return nil
                }
                return text
            }
            let stream = reader.field("stream", in: map, required: false) { $0.boolean($1, at: $2) }
            func choice(_ key: String, among choices: [String], _ reader: inout YAMLReader) -> String? {
                reader.field(key, in: map, required: false) { reader, node, path -> String? in
                    guard let text = reader.string(node, at: path) else { return nil }
                    guard choices.contains(text) else {
                        reader.report("expected one of \(choices.joined(separator: ", ")), got '\(text)'", at: path, node: node)
                        return nil
                    }
                    return text
                }
            }
            let field = choice("max_tokens_field", among: ProviderConfiguration.maxTokensFields, &reader)
            let jsonMode = choice("json_mode", among: ProviderConfiguration.jsonModes, &reader)
            guard let api else { continue }
            configuration.providers[name] = ProviderConfiguration(
                api: api, apiKeyVariable: variable, stream: stream ?? true,
                maxTokensField: field ?? "max_completion_tokens", jsonMode: jsonMode ?? "json_schema")
        }
    }
}
