/**
 * The kit's own model repack program, run by the repack Training step inside the scikit-learn
 * container (Python 3, standard library only). It is kept as text here, not as a file on disk, so
 * the compiler stays a pure function of the spec and the repository: the bytes, and so the asset's
 * content-hashed key, are fixed by the kit version.
 */

/** File name of the program inside its sourcedir.tar.gz (the `sagemaker_program`). */
export const REPACK_SCRIPT_NAME = 'smpk_repack_model.py';

/** The program. Channels: `training` = the model archive, `code` = the inference code tarball. */
export const REPACK_SCRIPT = `"""Repack a model archive with its inference code (sagemaker-pipeline-kit).

SageMaker runs this as a training job. The model archive arrives in the \`training\` channel, the
inference code (a sourcedir.tar.gz) in the \`code\` channel. The model files and a \`code/\` folder
holding the inference code are written to /opt/ml/model, which SageMaker uploads as the job's
model.tar.gz.
"""
import json
import os
import sys
import tarfile

INPUT_DIR = "/opt/ml/input/data"
MODEL_DIR = "/opt/ml/model"
HYPERPARAMETERS = "/opt/ml/input/config/hyperparameters.json"


def archives(channel):
    """Every tar archive in a channel directory, in a stable order."""
    root = os.path.join(INPUT_DIR, channel)
    found = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith((".tar.gz", ".tgz", ".tar")):
                found.append(os.path.join(folder, name))
    return sorted(found)


def extract(archive, destination):
    """Extract an archive, refusing links and members that would land outside destination."""
    base = os.path.realpath(destination)
    with tarfile.open(archive) as bundle:
        members = bundle.getmembers()
        for member in members:
            target = os.path.realpath(os.path.join(base, member.name))
            inside = target == base or target.startswith(base + os.sep)
            if not inside or member.issym() or member.islnk() or member.isdev():
                sys.exit("refusing to extract %s from %s" % (member.name, archive))
        bundle.extractall(base, members=members)


def main():
    with open(HYPERPARAMETERS) as handle:
        hyperparameters = json.load(handle)
    script = json.loads(hyperparameters["inference_script"])
    models = archives("training")
    if not models:
        sys.exit("no model archive in the training channel")
    for archive in models:
        extract(archive, MODEL_DIR)
    code_dir = os.path.join(MODEL_DIR, "code")
    os.makedirs(code_dir, exist_ok=True)
    for archive in archives("code"):
        extract(archive, code_dir)
    if not os.path.isfile(os.path.join(code_dir, script)):
        sys.exit("the inference script %s is not in the source directory" % script)
    print("repacked %d model archive(s) with code for %s" % (len(models), script))


if __name__ == "__main__":
    main()
`;
