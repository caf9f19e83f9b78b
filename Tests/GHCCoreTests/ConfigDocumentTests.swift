import GHCCore
import GHCTestSupport
import Testing

@Suite struct ConfigLoadingTests {
    @Test func missingFileMeansEveryDefault() throws {
        let document = try ConfigDocument(path: "config.yaml", text: "")
        let (config, warnings) = try GHCConfig.load(document)
        #expect(warnings.isEmpty)
        #expect(config.port == 8313)
        #expect(config.address == "127.0.0.1")
        #expect(config.vscodeVersion == "1.93.0")
        #expect(config.copilotVersion == "0.26.7")
        #expect(config.apiVersion == "2025-04-01")
        #expect(config.cacheMaxEntries == 1000)
        #expect(config.maxConnectionRetries == 3)
        #expect(config.modelMappings == ModelMappings(exact: [:], prefix: [:]))
        #expect(!config.passesSystemMessages)
        #expect(config.githubAPIBaseURL == "https://api.github.com")
        #expect(config.githubWebBaseURL == "https://github.com")
    }

    @Test func aWrongTypeNamesFileLineKeyAndExpectation() throws {
        let text = "# settings\naddress: 0.0.0.0\nport: eighty\n"
        let document = try ConfigDocument(path: "/home/u/.ghc-api/config.yaml", text: text)
        #expect(throws: ConfigError.self) { try GHCConfig.load(document) }
        let problems = GHCConfig.check(document).problems
        #expect(problems.count == 1)
        #expect(problems[0].description == "/home/u/.ghc-api/config.yaml:3: port: expected a whole number from 1 to 65535, found 'eighty'")
    }

    @Test func brokenYAMLIsReportedWithItsLine() {
        let text = "port: 8313\nmodel_mappings:\n  exact: {opus: [\n"
        #expect {
            try ConfigDocument(path: "c.yaml", text: text)
        } throws: { error in
            guard case .invalid(let problems)? = error as? ConfigError, let first = problems.first else { return false }
            return first.line != nil && first.description.hasPrefix("c.yaml:") && first.message.contains("not valid YAML")
        }
    }

    @Test func checkReportsEveryProblemAtOnce() throws {
        let text = """
            port: 0
            debug: maybe
            api_keys: [1, [2]]
            model_mappings:
              exact: {sonnet: [x]}
            colour: blue
            """
        let problems = GHCConfig.check(try ConfigDocument(path: "c.yaml", text: text)).problems
        let keys = problems.map { $0.key ?? "" }
        #expect(keys == ["port", "debug", "api_keys[1]", "model_mappings.exact.sonnet", "colour"])
        #expect(problems.last?.severity == .warning)
        #expect(problems[1].line == 2)
    }

    @Test func quotedBooleansMeanWhatTheySay() throws {
        // ghc-api 1.0.31 read the string "false" as true; here it is false.
        let document = try ConfigDocument(path: "c.yaml", text: "save_request_to_file: \"false\"\ndebug: yes\n")
        let config = try GHCConfig.load(document).config
        #expect(config.saveRequestToFile == false)
        #expect(config.debug == true)
    }

    @Test func nullListsAndMappingsAreEmpty() throws {
        let document = try ConfigDocument(
            path: "c.yaml",
            text: "system_prompt_remove: null\nmodel_mappings:\n  exact:\n  prefix: {gpt-: gpt-4.1}\n"
        )
        let config = try GHCConfig.load(document).config
        #expect(config.systemPromptRemove.isEmpty)
        #expect(config.modelMappings.exact.isEmpty)
        #expect(config.modelMappings.map("gpt-x") == "gpt-4.1")
    }

    @Test func enterpriseAPIBaseDerivesTheDeviceFlowHost() throws {
        let ghe = try GHCConfig.load(ConfigDocument(path: "c", text: "github_api_base_url: https://api.octocorp.ghe.com/\n")).config
        #expect(ghe.githubAPIBaseURL == "https://api.octocorp.ghe.com")
        #expect(ghe.githubWebBaseURL == "https://octocorp.ghe.com")
        let loopback = try GHCConfig.load(ConfigDocument(path: "c", text: "github_api_base_url: http://127.0.0.1:9\n")).config
        #expect(loopback.githubWebBaseURL == nil)
        let explicit = try GHCConfig.load(
            ConfigDocument(path: "c", text: "github_api_base_url: http://127.0.0.1:9\ngithub_base_url: http://127.0.0.1:9/\n")
        ).config
        #expect(explicit.githubWebBaseURL == "http://127.0.0.1:9")
    }

    @Test func accountTypeSelectsTheCopilotHost() throws {
        #expect(
            try GHCConfig.load(ConfigDocument(path: "c", text: "account_type: business")).config.copilotAPIBaseURLForAccount
                == "https://api.business.githubcopilot.com"
        )
        #expect(GHCConfig().copilotAPIBaseURLForAccount == "https://api.githubcopilot.com")
    }
}

@Suite struct ModelMappingTests {
    /// No default table: names are resolved against the live catalog, so nothing is rewritten before that.
    @Test(arguments: ["sonnet", "claude-sonnet-4-5-20250929", "claude-opus-4-8-20260101", "gpt-4.1"])
    func noNameIsMappedByDefault(client: String) {
        #expect(GHCConfig().modelMappings.match(client) == nil)
        #expect(GHCConfig().modelMappings.map(client) == client)
    }

    @Test func exactWinsAndTheLongestPrefixBeatsFileOrder() {
        let mappings = ModelMappings(exact: ["claude-x-1": "exact"], prefix: ["claude-": "short", "claude-x-": "long"])
        #expect(mappings.map("claude-x-1") == "exact")
        #expect(mappings.map("claude-x-2") == "long")
        #expect(mappings.map("claude-y") == "short")
        #expect(mappings.map("other") == "other")
    }
}
