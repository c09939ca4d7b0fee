import ConfigSupport
import Rules

/// `scalewatch check rules FILE…` and `scalewatch test rules FILE…`, as `promtool check rules`
/// and `promtool test rules` report: every problem with file and line, exit 1 on any.
public enum RulesCheck {
    public static func check(paths: [String]) -> (output: String, errors: String, exitCode: Int32) {
        var output = "", errors = ""
        var code: Int32 = 0
        for path in paths {
            output += "Checking \(path)\n"
            do {
                let file = try RuleFile.load(path: path)
                let count = file.groups.reduce(0) { $0 + $1.rules.count }
                output += "  SUCCESS: \(count) rules found\n\n"
            } catch {
                code = 1
                errors += "  FAILED:\n" + error.issues.map { "\($0)\n" }.joined() + "\n"
            }
        }
        return (output, errors, code)
    }

    public static func test(paths: [String]) -> (output: String, exitCode: Int32) {
        var output = ""
        var code: Int32 = 0
        for path in paths {
            output += "Unit Testing:  \(path)\n"
            do {
                let failures = try RuleUnitTestFile(path: path).run()
                if failures.isEmpty {
                    output += "  SUCCESS\n\n"
                } else {
                    code = 1
                    output += "  FAILED:\n" + failures.joined(separator: "\n") + "\n\n"
                }
            } catch {
                code = 1
                output += "  FAILED:\n    \(error)\n\n"
            }
        }
        return (output, code)
    }
}
