console.log("benchmark pipeline: not yet assembled (issue 8)");
