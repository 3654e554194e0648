import Foundation
import PurserConfig
import Testing

@Suite("The providers: section")
struct ProviderConfigurationTests {
    @Test func loadsEveryKeyAndKnowsThePublicAPIsWithoutAnEntry() throws {
        let configuration = try ConfigurationLoader.parse(yaml: """
            providers:
              local:
                api: openai
                stream: false
                max_tokens_field: max_tokens
                json_mode: json_object
              claude:
                api: anthropic
                api_key_env: WORK_ANTHROPIC_KEY
            """)
        #expect(
            configuration.providers["local"]
                == ProviderConfiguration(
                    api: "openai", apiKeyVariable: nil, stream: false, maxTokensField: "max_tokens", jsonMode: "json_object"))
        #expect(configuration.provider(named: "claude") == ProviderConfiguration(api: "anthropic", apiKeyVariable: "WORK_ANTHROPIC_KEY"))
        #expect(configuration.provider(named: "openai")?.apiKeyVariable == "OPENAI_API_KEY")
        #expect(configuration.provider(named: "groq") == ProviderConfiguration(api: "openai", apiKeyVariable: "GROQ_API_KEY"))
        #expect(configuration.provider(named: "acme") == nil)
        // An entry overrides the well-known meaning.
        let own = try ConfigurationLoader.parse(yaml: "providers:\n  openai:\n    api: openai\n    api_key_env: TEAM_KEY\n")
        #expect(own.provider(named: "openai")?.apiKeyVariable == "TEAM_KEY")
    }

    @Test func badEntriesAreEachReportedWithTheirLine() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader.parse(yaml: """
                providers:
                  one:
                    api: gemini
                  two:
                    api: openai
                    api_key_env: sk-live-abc123
                  three:
                    api: openai
                    max_tokens_field: tokens
                    json_mode: grammar
                    colour: red
                  four:
                    api_key_env: FOUR_KEY
                """)
        }
        let problems = error.problems.map(\.description)
        #expect(problems.contains("purser.yaml:3: providers.one.api: expected one of openai, anthropic, got 'gemini'"), "\(problems)")
        #expect(
            problems.contains(
                "purser.yaml:6: providers.two.api_key_env: expected the name of an environment variable such as OPENAI_API_KEY (the name, not the key)"
            ), "\(problems)")
        // What was written there may be a key: it is not repeated.
        #expect(!problems.joined().contains("sk-live"), "\(problems)")
        #expect(
            problems.contains("purser.yaml:9: providers.three.max_tokens_field: expected one of max_completion_tokens, max_tokens, got 'tokens'"),
            "\(problems)")
        #expect(problems.contains("purser.yaml:10: providers.three.json_mode: expected one of json_schema, json_object, got 'grammar'"), "\(problems)")
        #expect(problems.contains { $0.hasPrefix("purser.yaml:11: providers.three.colour: unknown key") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("purser.yaml:13: providers.four.api: missing") }, "\(problems)")
        #expect(problems.count == 6, "\(problems)")
    }
}
