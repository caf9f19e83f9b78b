import GHCSync
import Testing

@Suite struct OneDriveLocatorTests {
    /// A locator over a made-up tree: folder → names in it.
    static func locator(
        _ platform: SyncPlatform,
        tree: [String: [String]],
        environment: [String: String] = [:],
        home: String = "/home/me",
        profile: String? = nil
    ) -> OneDriveLocator {
        OneDriveLocator(
            platform: platform,
            environment: environment,
            home: home,
            list: { tree[$0] },
            windowsProfile: { profile }
        )
    }

    @Test func linuxFindsAnOrganisationFolderBeforeThePersonalOne() {
        let tree = [
            "/home/me": ["OneDrive", "OneDrive - Contoso", "OneDrive - Acme", "src"], "/home/me/OneDrive": [],
            "/home/me/OneDrive - Contoso": [], "/home/me/OneDrive - Acme": [],
        ]
        #expect(Self.locator(.linux, tree: tree).locate(flag: nil, configured: nil)?.path == "/home/me/OneDrive - Acme")
        let personal = Self.locator(.linux, tree: ["/home/me": ["OneDrive"], "/home/me/OneDrive": []])
        #expect(personal.locate(flag: nil, configured: nil)?.path == "/home/me/OneDrive")
        #expect(Self.locator(.linux, tree: ["/home/me": ["src"]]).locate(flag: nil, configured: nil) == nil)
    }

    @Test func theFlagThenTheConfigWinOverDetection() {
        let tree = ["/home/me": ["OneDrive"], "/home/me/OneDrive": []]
        let locator = Self.locator(.linux, tree: tree)
        #expect(locator.locate(flag: "/mnt/x", configured: "/mnt/y") == .init(path: "/mnt/x", how: "--onedrive"))
        #expect(locator.locate(flag: nil, configured: "/mnt/y")?.how == "onedrive_path in config.yaml")
        #expect(locator.locate(flag: nil, configured: "")?.path == "/home/me/OneDrive")
    }

    @Test func macOSLooksInCloudStorage() {
        let tree = [
            "/Users/me": ["Documents"], "/Users/me/Library/CloudStorage": ["OneDrive-Contoso", "Dropbox"],
            "/Users/me/Library/CloudStorage/OneDrive-Contoso": [],
        ]
        let found = Self.locator(.mac, tree: tree, home: "/Users/me").locate(flag: nil, configured: nil)
        #expect(found?.path == "/Users/me/Library/CloudStorage/OneDrive-Contoso")
    }

    @Test func wslSearchesTheInteropProfileThenTheUsersNameThenTheOthers() {
        let tree = [
            "/mnt/c/Users": ["Public", "Default", "alice", "Bob", "zed"],
            "/mnt/c/Users/Bob": ["OneDrive"], "/mnt/c/Users/Bob/OneDrive": [],
            "/mnt/c/Users/alice": ["OneDrive - Work"], "/mnt/c/Users/alice/OneDrive - Work": [],
            "/mnt/c/Users/zed": ["OneDrive"], "/mnt/c/Users/zed/OneDrive": [],
        ]
        let byInterop = Self.locator(.wsl, tree: tree, environment: ["USER": "bob"], profile: "/mnt/c/Users/zed")
        #expect(byInterop.candidates() == ["/mnt/c/Users/zed", "/mnt/c/Users/Bob", "/mnt/c/Users/alice"])
        #expect(byInterop.locate(flag: nil, configured: nil)?.path == "/mnt/c/Users/zed/OneDrive")
        let byName = Self.locator(.wsl, tree: tree, environment: ["USER": "bob"])
        #expect(byName.locate(flag: nil, configured: nil)?.path == "/mnt/c/Users/Bob/OneDrive")
        let byOrder = Self.locator(.wsl, tree: tree, environment: ["USER": "nobody-here"])
        #expect(byOrder.locate(flag: nil, configured: nil)?.path == "/mnt/c/Users/alice/OneDrive - Work")
        #expect(Self.locator(.wsl, tree: [:]).candidates() == [], "no /mnt/c/Users: nothing to search")
    }

    @Test func windowsPathsBecomeWSLPaths() {
        #expect(OneDriveLocator.wslPath(fromWindows: "C:\\Users\\Me\r\n") == "/mnt/c/Users/Me")
        #expect(OneDriveLocator.wslPath(fromWindows: "%USERPROFILE%") == nil)
        #expect(SyncPlatform.isWSL(environment: ["WSL_DISTRO_NAME": "Ubuntu"], kernelRelease: "6.1"))
        #expect(SyncPlatform.isWSL(environment: [:], kernelRelease: "5.15.90.1-microsoft-standard-WSL2"))
        #expect(!SyncPlatform.isWSL(environment: [:], kernelRelease: "6.8.0-generic"))
    }
}
