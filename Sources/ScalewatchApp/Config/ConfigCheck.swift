import ConfigSupport
import Rules

/// `scalewatch check config FILE…`: like `promtool check config`, but every issue of a file
/// is printed, each with file, line and key.
public enum ConfigCheck {
    /// What to print and the exit code (0 valid, 1 any file invalid).
    public static func run(paths: [String]) -> (output: String, errors: String, exitCode: Int32) {
        var output = ""
        var errors = ""
        var code: Int32 = 0
        for path in paths {
            output += "Checking \(path)\n"
            do {
                let config = try ScalewatchConfig.load(path: path)
                // Rule files are part of the config, as promtool checks them with it.
                let files = Controller.ruleSettings(config).files
                let groups = try RuleManager.load(files)
                output += "  SUCCESS: \(path) is valid (\(config.scrapeConfigs.count) scrape configs, \(files.count) rule files, \(groups.reduce(0) { $0 + $1.rules.count }) rules)\n"
            } catch {
                code = 1
                errors += "  FAILED: \(error.issues.count) issue\(error.issues.count == 1 ? "" : "s") in \(path):\n"
                for issue in error.issues { errors += "    \(issue)\n" }
            }
        }
        return (output, errors, code)
    }
}
