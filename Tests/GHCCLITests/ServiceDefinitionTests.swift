import Testing

@testable import GHCCLI

@Suite("Service definition")
struct ServiceDefinitionTests {
    let definition = ServiceDefinition(
        binary: "/opt/my apps/ghc-api",
        configDirectory: "/home/a \"b\"/100%/.ghc-api",
        path: "/usr/bin:$HOME/bin",
        logFile: "/Users/a/Library/Logs/ghc-api.log"
    )

    @Test("systemd values are quoted so spaces, quotes, % and $ are taken as written")
    func systemdQuoting() {
        let unit = definition.systemdUnit
        #expect(unit.contains("ExecStart=\"/opt/my apps/ghc-api\" serve\n"))
        #expect(unit.contains("Environment=\"GHC_API_CONFIG_DIR=/home/a \\\"b\\\"/100%%/.ghc-api\"\n"))
        #expect(unit.contains("Environment=\"PATH=/usr/bin:$HOME/bin\"\n"))
        #expect(ServiceDefinition.systemdQuoted("a$b", inCommandLine: true) == "\"a$$b\"")
    }

    @Test("launchd values are XML-escaped")
    func launchdEscaping() {
        let plist = definition.launchdPlist
        #expect(plist.contains("<string>/home/a &quot;b&quot;/100%/.ghc-api</string>"))
        #expect(ServiceDefinition.xmlEscaped("a<b>&c") == "a&lt;b&gt;&amp;c")
    }

    @Test("status reads the command back from either file")
    func commandInFile() {
        #expect(ServiceCommand.command(inServiceFile: definition.systemdUnit) == "/opt/my apps/ghc-api serve")
        #expect(ServiceCommand.command(inServiceFile: definition.launchdPlist) == "/opt/my apps/ghc-api serve")
    }
}
