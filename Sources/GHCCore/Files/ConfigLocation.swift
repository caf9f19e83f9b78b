#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where ghc-api keeps its files: the config directory and the well-known files inside it.
///
/// The directory is `GHC_API_CONFIG_DIR` (with `~` and `$VARS` expanded) when set, else `~/.ghc-api`,
/// exactly as ghc-api 1.0.31 resolves it, so both programs share one directory.
package struct ConfigLocation: Sendable, Equatable {
    /// The config directory.
    package let directory: String
    /// The config file; `-c/--config` can point it elsewhere.
    package let configFile: String

    /// Creates a location from explicit paths.
    package init(directory: String, configFile: String? = nil) {
        self.directory = directory
        self.configFile = configFile ?? directory + "/config.yaml"
    }

    /// Resolves the location from the environment and the home directory.
    /// - Parameters:
    ///   - environment: the process environment (`GHC_API_CONFIG_DIR` is read).
    ///   - home: the user's home directory.
    ///   - configFileOverride: the `-c/--config` value, if given.
    package static func resolve(environment: [String: String], home: String, configFileOverride: String? = nil) -> ConfigLocation {
        let directory: String
        if let override = environment["GHC_API_CONFIG_DIR"], !override.isEmpty {
            directory = absolutePath(expand(override, environment: environment, home: home), cwd: environment["PWD"])
        } else {
            directory = home + "/.ghc-api"
        }
        let file = configFileOverride.map { absolutePath(expand($0, environment: environment, home: home), cwd: environment["PWD"]) }
        return ConfigLocation(directory: directory, configFile: file)
    }

    /// The saved GitHub token.
    package var githubTokenFile: String { directory + "/github_token.txt" }
    /// The request history database.
    package var historyDatabase: String { directory + "/requests.db" }
    /// The client API keys (`ghc-api keys`), hashed.
    package var clientKeysFile: String { directory + "/client_keys.json" }
    /// How much each client API key has been used.
    package var clientKeyUsageFile: String { directory + "/client_keys_usage.json" }
    /// The folder of daily request files.
    package var requestsDirectory: String { directory + "/requests" }

    /// Expands a leading `~` and `$NAME` / `${NAME}` references.
    static func expand(_ path: String, environment: [String: String], home: String) -> String {
        var text = path
        if text == "~" {
            text = home
        } else if text.hasPrefix("~/") {
            text = home + text.dropFirst()
        }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "$" else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            var cursor = text.index(after: index)
            let braced = cursor < text.endIndex && text[cursor] == "{"
            if braced { cursor = text.index(after: cursor) }
            let nameStart = cursor
            while cursor < text.endIndex, text[cursor].isLetter || text[cursor].isNumber || text[cursor] == "_" {
                cursor = text.index(after: cursor)
            }
            let name = String(text[nameStart..<cursor])
            if braced, cursor < text.endIndex, text[cursor] == "}", !name.isEmpty {
                result += environment[name] ?? "${\(name)}"
                index = text.index(after: cursor)
            } else if !braced, !name.isEmpty {
                result += environment[name] ?? "$\(name)"
                index = cursor
            } else {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }

    /// Makes a path absolute against the working directory.
    static func absolutePath(_ path: String, cwd: String?) -> String {
        if path.hasPrefix("/") { return path }
        let base = cwd ?? FileManager.default.currentDirectoryPath
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }
}
