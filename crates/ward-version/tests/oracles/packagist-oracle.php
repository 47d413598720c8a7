<?php
// Packagist/Composer oracle for ward-version's differential tests
// (tests/it/reference/packagist.rs). Usage: php packagist-oracle.php MODE < cases, one JSON
// array per line, one answer per line:
//   compare   [a, b]              -> -1, 0 or 1: PHP's version_compare on the strings as given
//   satisfies [constraint, v]     -> "true"/"false" (Composer\Semver\Semver::satisfies), or
//                                    "invalid-version" / "invalid-constraint"
//   normalize [v]                 -> VersionParser::normalize, or "invalid"
$autoload = '/usr/share/php/Composer/Semver/autoload.php';
require $autoload;

use Composer\Semver\Semver;
use Composer\Semver\VersionParser;

$mode = $argv[1];
$parser = new VersionParser();
$out = '';
while (($line = fgets(STDIN)) !== false) {
    $args = json_decode($line, true);
    switch ($mode) {
        case 'compare':
            $out .= version_compare($args[0], $args[1]) . "\n";
            break;
        case 'satisfies':
            try {
                $parser->normalize($args[1]);
            } catch (\Exception $e) {
                $out .= "invalid-version\n";
                break;
            }
            try {
                $parser->parseConstraints($args[0]);
            } catch (\Exception $e) {
                $out .= "invalid-constraint\n";
                break;
            }
            $out .= (Semver::satisfies($args[1], $args[0]) ? 'true' : 'false') . "\n";
            break;
        case 'normalize':
            try {
                $out .= $parser->normalize($args[0]) . "\n";
            } catch (\Exception $e) {
                $out .= "invalid\n";
            }
            break;
        default:
            fwrite(STDERR, "unknown mode $mode\n");
            exit(2);
    }
}
echo $out;
