// Differential oracle for ward's Maven module, run as
//   java -cp /usr/share/maven/lib/maven-artifact-3.x.jar MavenOracle.java
// One case per line on stdin, fields separated by tabs:
//   cmp<TAB>A<TAB>B        -> -1, 0 or 1 (new ComparableVersion(A).compareTo(B), sign only)
//   range<TAB>SPEC<TAB>V   -> true / false (VersionRange.createFromVersionSpec(SPEC)
//                             .containsVersion(new DefaultArtifactVersion(V))), or
//                             "invalid" when the spec does not parse
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.apache.maven.artifact.versioning.ComparableVersion;
import org.apache.maven.artifact.versioning.DefaultArtifactVersion;
import org.apache.maven.artifact.versioning.InvalidVersionSpecificationException;
import org.apache.maven.artifact.versioning.VersionRange;

public class MavenOracle {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(System.out);
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                throw new IllegalArgumentException("expected 3 tab-separated fields: " + line);
            }
            if (f[0].equals("cmp")) {
                int c = new ComparableVersion(f[1]).compareTo(new ComparableVersion(f[2]));
                out.println(Integer.signum(c));
            } else if (f[0].equals("range")) {
                try {
                    VersionRange range = VersionRange.createFromVersionSpec(f[1]);
                    out.println(range.containsVersion(new DefaultArtifactVersion(f[2])));
                } catch (InvalidVersionSpecificationException e) {
                    out.println("invalid");
                }
            } else {
                throw new IllegalArgumentException("unknown mode: " + line);
            }
        }
        out.flush();
    }
}
