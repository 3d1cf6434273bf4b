//! Syntax-tree helpers shared by the fact extractors: iterative walks only (a 10k-deep tree
//! must not overflow the stack).

use std::collections::HashMap;

use tree_sitter::{Node, Tree};

/// Every node of `tree` in pre-order, with a parent table keyed by node id, built in one
/// iterative walk. (`Node::parent` walks down from the root, so calling it per node is
/// quadratic on deep trees.)
pub fn preorder_with_parents(tree: &Tree) -> (Vec<Node<'_>>, HashMap<usize, Node<'_>>) {
    let mut nodes = Vec::new();
    let mut parents = HashMap::new();
    let mut stack: Vec<Node<'_>> = Vec::new();
    let mut cursor = tree.walk();
    'outer: loop {
        let node = cursor.node();
        if let Some(p) = stack.last() {
            parents.insert(node.id(), *p);
        }
        nodes.push(node);
        if cursor.goto_first_child() {
            stack.push(node);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'outer;
            }
            if !cursor.goto_parent() {
                break 'outer;
            }
            stack.pop();
        }
    }
    (nodes, parents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_every_node_with_its_parent() {
        let tree = crate::lang::parse(crate::lang::Lang::Python, "x = f(1)\n").expect("parses");
        let (nodes, parents) = preorder_with_parents(&tree);
        assert_eq!(nodes[0].kind(), "module");
        assert!(!parents.contains_key(&nodes[0].id()));
        for n in &nodes[1..] {
            assert_eq!(
                parents[&n.id()].id(),
                n.parent().expect("has a parent").id()
            );
        }
    }
}
