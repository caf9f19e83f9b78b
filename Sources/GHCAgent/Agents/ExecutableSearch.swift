import Foundation

/// Finds programs on PATH and files on disk, as a shell would.
package struct ExecutableSearch: Sendable {
    /// The directories of PATH, in order.
    package let directories: [String]

    /// A search over `path` (a PATH value).
    package init(path: String) {
        directories = path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }

    /// The first executable `name` on PATH, or `name` itself when it is a path to an executable.
    package func find(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in directories {
            let candidate = directory + "/" + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }

    /// `path` with every symlink resolved.
    package static func resolvingLinks(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// The `node_modules` folders at or above `path`, nearest first.
    package static func nodeModules(above path: String) -> [String] {
        var folders: [String] = []
        var current = (resolvingLinks(path) as NSString).deletingLastPathComponent
        while current != "/" && !current.isEmpty {
            let candidate = current + "/node_modules"
            if FileManager.default.fileExists(atPath: candidate) { folders.append(candidate) }
            if (current as NSString).lastPathComponent == "node_modules" { folders.append(current) }
            current = (current as NSString).deletingLastPathComponent
        }
        return folders
    }
}
